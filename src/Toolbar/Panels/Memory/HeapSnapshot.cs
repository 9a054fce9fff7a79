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

    /// <summary>The shared table <see cref="Rows"/> index into.</summary>
    public required HeapTypeTable Table { get; init; }

    /// <summary>All types with live objects, by bytes descending: compact rows that share the type table.</summary>
    public required HeapRow[] Rows { get; init; }

    /// <summary>The rows with their type names, made on demand (nothing of it is kept).</summary>
    public IReadOnlyList<HeapTypeRow> Types => new RowView(this);

    /// <summary>A read-only list over <see cref="Rows"/> that makes each row object only when read.</summary>
    private sealed class RowView(HeapSnapshot snapshot) : IReadOnlyList<HeapTypeRow>
    {
        public int Count => snapshot.Rows.Length;

        public HeapTypeRow this[int index]
        {
            get
            {
                var row = snapshot.Rows[index];
                var table = snapshot.Table;
                return new HeapTypeRow(table.TypeIdAt(row.TypeIndex), table.NameAt(row.TypeIndex), row.Count, row.Bytes, table.ToolbarAt(row.TypeIndex));
            }
        }

        public IEnumerator<HeapTypeRow> GetEnumerator()
        {
            for (var i = 0; i < snapshot.Rows.Length; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
