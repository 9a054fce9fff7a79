namespace Toolbar.Panels.History;

/// <summary>The history list served to the panel.</summary>
/// <param name="Entries">Stored requests, newest first.</param>
/// <param name="Capacity">How many requests the store keeps at most.</param>
public sealed record HistoryList(IReadOnlyList<HistoryEntry> Entries, int Capacity);
