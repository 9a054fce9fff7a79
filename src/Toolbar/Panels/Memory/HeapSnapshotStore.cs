namespace Toolbar.Panels.Memory;

/// <summary>
/// The last few heap snapshots of the process, and the gate that lets only one snapshot run at a time.
/// A snapshot holds only per-type totals (a few thousand rows), never references to heap objects.
/// </summary>
internal sealed class HeapSnapshotStore(HeapSnapshotter snapshotter)
{
    /// <summary>Snapshots kept; the oldest is dropped when a new one would exceed it.</summary>
    public const int Capacity = 5;

    private readonly Lock _lock = new();
    private readonly List<HeapSnapshot> _snapshots = [];
    private readonly HeapTypeTable _types = new();
    private int _nextId;
    private HeapSnapshotProgress? _running;

    /// <summary>The snapshot being taken, or <c>null</c>.</summary>
    public HeapSnapshotProgress? Running => Volatile.Read(ref _running);

    /// <summary>Stored snapshots, oldest first.</summary>
    public IReadOnlyList<HeapSnapshot> List()
    {
        lock (_lock)
        {
            return [.. _snapshots];
        }
    }

    public HeapSnapshot? Find(int id)
    {
        lock (_lock)
        {
            return _snapshots.Find(s => s.Id == id);
        }
    }

    public bool Delete(int id)
    {
        lock (_lock)
        {
            return _snapshots.RemoveAll(s => s.Id == id) > 0;
        }
    }

    /// <summary>
    /// Takes a snapshot on a thread of its own (the heap walk blocks a thread for its whole duration) and
    /// stores it. Returns <c>null</c> at once when another snapshot is running.
    /// </summary>
    public async Task<HeapSnapshot?> TryTakeAsync()
    {
        var progress = new HeapSnapshotProgress(DateTimeOffset.UtcNow);
        if (Interlocked.CompareExchange(ref _running, progress, null) is not null)
        {
            return null;
        }

        try
        {
            int id;
            lock (_lock)
            {
                id = ++_nextId;
            }

            var snapshot = await Task.Factory.StartNew(
                () => snapshotter.Take(id, progress, _types),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);

            lock (_lock)
            {
                _snapshots.Add(snapshot);
                if (_snapshots.Count > Capacity)
                {
                    _snapshots.RemoveRange(0, _snapshots.Count - Capacity);
                }
            }

            return snapshot;
        }
        finally
        {
            Volatile.Write(ref _running, null);
        }
    }

    /// <summary>
    /// Per-type change from <paramref name="from"/> to <paramref name="to"/>, biggest growth first; unchanged
    /// types are left out, and so are the toolbar's own types unless <paramref name="includeToolbar"/>.
    /// </summary>
    public static List<HeapTypeDelta> Diff(HeapSnapshot from, HeapSnapshot to, bool includeToolbar = false)
    {
        var table = to.Table;
        var before = new Dictionary<int, HeapRow>(from.Rows.Length);
        foreach (var row in from.Rows)
        {
            before[row.TypeIndex] = row;
        }

        var deltas = new List<HeapTypeDelta>();
        void Add(int typeIndex, long countBefore, long bytesBefore, long countAfter, long bytesAfter)
        {
            var toolbar = table.ToolbarAt(typeIndex);
            if ((countAfter != countBefore || bytesAfter != bytesBefore) && (includeToolbar || !toolbar))
            {
                deltas.Add(new HeapTypeDelta(table.TypeIdAt(typeIndex), table.NameAt(typeIndex), countAfter - countBefore, bytesAfter - bytesBefore,
                    countBefore, countAfter, toolbar));
            }
        }

        foreach (var row in to.Rows)
        {
            before.Remove(row.TypeIndex, out var old);
            Add(row.TypeIndex, old.Count, old.Bytes, row.Count, row.Bytes);
        }

        foreach (var old in before.Values)
        {
            Add(old.TypeIndex, old.Count, old.Bytes, 0, 0);
        }

        deltas.Sort(static (a, b) => b.BytesDelta != a.BytesDelta ? b.BytesDelta.CompareTo(a.BytesDelta) : b.CountDelta.CompareTo(a.CountDelta));
        return deltas;
    }
}
