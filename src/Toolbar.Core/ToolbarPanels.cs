using Toolbar.Internal;
using Toolbar.Stores;

namespace Toolbar;

/// <summary>
/// The panels of this app's toolbar, in toolbar order (a service: inject it). For panels that relate to other
/// panels or show other records, such as a history list with each record's nav subtitles.
/// </summary>
public sealed class ToolbarPanels
{
    private readonly ToolbarRuntime _runtime;

    internal ToolbarPanels(ToolbarRuntime runtime) => _runtime = runtime;

    /// <summary>Every panel that is part of the toolbar (created and not disabled), in toolbar order.</summary>
    public IReadOnlyList<ToolbarPanel> All => _runtime.Panels;

    /// <summary>The panel with this id (case-insensitive), or <c>null</c>.</summary>
    /// <param name="id">A panel id.</param>
    public ToolbarPanel? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _runtime.ById.GetValueOrDefault(id);
    }

    /// <summary>The first panel of type <typeparamref name="TPanel"/>, or <c>null</c>.</summary>
    /// <typeparam name="TPanel">A panel type.</typeparam>
    public TPanel? Find<TPanel>() where TPanel : ToolbarPanel => _runtime.Panels.OfType<TPanel>().FirstOrDefault();

    /// <summary>
    /// Each panel's nav subtitle for a record (e.g. <c>sql</c> → <c>11 queries</c>): short facts for a list of
    /// records. A panel without data or subtitle, or whose subtitle fails, is left out.
    /// </summary>
    /// <param name="record">Any record, e.g. one read from <see cref="IToolbarStore"/>.</param>
    public IReadOnlyDictionary<string, string> GetNavSubtitles(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return RecordSerializer.Badges(record, _runtime) ?? (IReadOnlyDictionary<string, string>)new Dictionary<string, string>();
    }
}
