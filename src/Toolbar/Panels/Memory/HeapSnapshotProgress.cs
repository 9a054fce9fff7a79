namespace Toolbar.Panels.Memory;

/// <summary>What a running snapshot is doing, for the panel's progress indicator (read from other threads).</summary>
internal sealed class HeapSnapshotProgress
{
    private long _objects;
    private volatile string _phase = "starting";

    public HeapSnapshotProgress(DateTimeOffset startedAt) => StartedAt = startedAt;

    public DateTimeOffset StartedAt { get; }

    /// <summary>starting, collecting (the GC walks the heap), parsing, done.</summary>
    public string Phase
    {
        get => _phase;
        set => _phase = value;
    }

    /// <summary>Objects received so far.</summary>
    public long Objects => Interlocked.Read(ref _objects);

    public void AddObjects(int count) => Interlocked.Add(ref _objects, count);
}
