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

    // An imported record carries someone else's links: one that would run script in the app's origin is not a link.
    private string? SafeEditorUrl => IsHarmlessLink(Frame.EditorUrl) ? Frame.EditorUrl : null;

    /// <summary>Whether a link cannot run script when followed: its scheme, read the way a browser reads it, is not javascript, vbscript or data.</summary>
    internal static bool IsHarmlessLink(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return false;
        }

        // Browsers skip leading C0 controls and spaces, and drop every tab and newline, before they read the scheme.
        Span<char> scheme = stackalloc char[16];
        var length = 0;
        foreach (var c in url)
        {
            if (c is '\t' or '\n' or '\r' || (length == 0 && c <= ' '))
            {
                continue;
            }

            if (c == ':')
            {
                break;
            }

            if (length == scheme.Length || !(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return true; // not a short scheme: a relative link or one of a scheme that is not dangerous
            }

            scheme[length++] = char.ToLowerInvariant(c);
        }

        var name = scheme[..length];
        return !name.SequenceEqual("javascript") && !name.SequenceEqual("vbscript") && !name.SequenceEqual("data");
    }
}
