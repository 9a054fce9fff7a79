using Microsoft.AspNetCore.Components;

namespace Toolbar.Components;

/// <summary>
/// Shows an app frame's <c>file:line</c> (the full path in the title) as a link that opens it in the editor
/// (<see cref="ToolbarOptions.EditorUrl"/>). For any panel that shows <see cref="CodeFrame"/>s.
/// </summary>
public partial class CodeLink
{
    /// <summary>The frame to link; nothing is rendered when its file is unknown.</summary>
    [Parameter, EditorRequired]
    public CodeFrame Frame { get; set; } = default!;

    private string FileName => Path.GetFileName(Frame.File ?? "");
}
