namespace Toolbar.Panels.History;

/// <summary>The history list served to the panel.</summary>
/// <param name="Entries">Stored requests, newest first.</param>
/// <param name="Capacity">How many requests the store keeps at most.</param>
public sealed record HistoryList(IReadOnlyList<HistoryEntry> Entries, int Capacity)
{
    /// <summary>
    /// Requests the store did not keep since the app started (it was slower than the app or unavailable; see
    /// <see cref="IToolbarStoreStatus"/>); 0 for a store that never drops.
    /// </summary>
    public long DroppedRecords { get; init; }
}
