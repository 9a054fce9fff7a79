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
    private readonly Dictionary<ulong, KnownType> _knownTypes = [];
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
            Dictionary<ulong, KnownType> names;
            lock (_lock)
            {
                id = ++_nextId;
                names = new Dictionary<ulong, KnownType>(_knownTypes);
            }

            var snapshot = await Task.Factory.StartNew(
                () => snapshotter.Take(id, progress, names),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);

            lock (_lock)
            {
                foreach (var (typeId, name) in names)
                {
                    _knownTypes[typeId] = name;
                }

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

    /// <summary>Per-type change from <paramref name="from"/> to <paramref name="to"/>, biggest growth first; unchanged types are left out.</summary>
    public static List<HeapTypeDelta> Diff(HeapSnapshot from, HeapSnapshot to)
    {
        var before = new Dictionary<ulong, HeapTypeRow>(from.Types.Count);
        foreach (var row in from.Types)
        {
            before[row.TypeId] = row;
        }

        var deltas = new List<HeapTypeDelta>();
        foreach (var row in to.Types)
        {
            before.Remove(row.TypeId, out var old);
            var delta = new HeapTypeDelta(row.TypeId, row.Type, row.Count - (old?.Count ?? 0), row.Bytes - (old?.Bytes ?? 0),
                old?.Count ?? 0, row.Count, row.Toolbar);
            if (delta.CountDelta != 0 || delta.BytesDelta != 0)
            {
                deltas.Add(delta);
            }
        }

        foreach (var old in before.Values)
        {
            deltas.Add(new HeapTypeDelta(old.TypeId, old.Type, -old.Count, -old.Bytes, old.Count, 0, old.Toolbar));
        }

        deltas.Sort(static (a, b) => b.BytesDelta != a.BytesDelta ? b.BytesDelta.CompareTo(a.BytesDelta) : b.CountDelta.CompareTo(a.CountDelta));
        return deltas;
    }
}

/// <summary>What earlier snapshots learned about a type id: its name and whether it is the toolbar's own.</summary>
internal readonly record struct KnownType(string Name, bool Toolbar);

/// <summary>Change of one type between two snapshots.</summary>
internal sealed record HeapTypeDelta(ulong TypeId, string Type, long CountDelta, long BytesDelta, long CountBefore, long CountAfter, bool Toolbar);
