using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Toolbar.Panels.Memory;

/// <summary>Renders <see cref="MemoryData"/> and the process's heap snapshots.</summary>
public partial class MemoryPanelView
{
    /// <summary>Most types listed in the rendered table; the JSON API has them all.</summary>
    internal const int MaxRenderedTypes = 500;

    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    private IReadOnlyList<HeapSnapshot> Snapshots { get; set; } = [];

    private HeapSnapshot? Latest => Snapshots.Count > 0 ? Snapshots[^1] : null;

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        if (Services.GetService<ToolbarPanels>()?.Find(Context.PanelId) is MemoryPanel memory)
        {
            Snapshots = memory.Snapshots.List();
        }
    }
}
