namespace Toolbar.Panels.Memory;

/// <summary>One heap snapshot: live objects counted by type. Holds no reference to any object of the heap.</summary>
internal sealed class HeapSnapshot
{
    public int Id { get; init; }

    public DateTimeOffset TakenAt { get; init; }

    /// <summary>Wall time from the request to the parsed table.</summary>
    public double DurationMs { get; init; }

    /// <summary>How long the app was paused by the induced collection that walked the heap.</summary>
    public double PauseMs { get; init; }

    /// <summary>Index of the induced collection.</summary>
    public long GcIndex { get; init; }

    public long ObjectCount { get; init; }

    public long TotalBytes { get; init; }

    /// <summary>Heap size the GC reported for the same collection (heap-stats event), to cross-check <see cref="TotalBytes"/>.</summary>
    public long HeapStatsBytes { get; init; }

    /// <summary>Free space of the heap after the same collection, which the walk does not report as objects.</summary>
    public long FragmentedBytes { get; init; }

    /// <summary>Objects the snapshot machinery itself kept alive (labelled types), already included in the totals.</summary>
    public long ToolbarObjectCount { get; init; }

    /// <summary>All types with live objects, by bytes descending.</summary>
    public IReadOnlyList<HeapTypeRow> Types { get; init; } = [];
}

/// <summary>Live objects of one type.</summary>
/// <param name="TypeId">The runtime's id of the type (stable for the life of the process): the key of diffs.</param>
/// <param name="Type">Type name (not unique: nested and generic names may collide).</param>
/// <param name="Count">Live objects.</param>
/// <param name="Bytes">Total shallow size in bytes.</param>
/// <param name="Toolbar">Whether the type belongs to the snapshot machinery itself (label, not app data).</param>
internal sealed record HeapTypeRow(ulong TypeId, string Type, long Count, long Bytes, bool Toolbar);
