namespace Toolbar.Panels.History;

/// <summary>
/// Per-request data of the history panel. Deliberately tiny: the list itself is read from the store when the
/// panel is shown, never copied into each record.
/// </summary>
public sealed class HistoryData
{
    /// <summary>Where a redirect response pointed (its <c>Location</c> header), or <c>null</c>.</summary>
    public string? RedirectLocation { get; set; }
}
