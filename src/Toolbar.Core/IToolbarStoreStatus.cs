namespace Toolbar;

/// <summary>
/// Implemented by a store that writes records in the background and drops records rather than make requests wait
/// (the distributed stores): how many it did not keep. The history panel shows it.
/// </summary>
public interface IToolbarStoreStatus
{
    /// <summary>
    /// Records not kept since the app started: the write queue was full (the store is slower than the app; the oldest
    /// queued record gives way) or the store was unavailable.
    /// </summary>
    long DroppedRecords { get; }

    /// <summary>Records waiting to be written now.</summary>
    int QueuedRecords { get; }
}
