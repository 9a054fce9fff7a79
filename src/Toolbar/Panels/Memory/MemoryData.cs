namespace Toolbar.Panels.Memory;

/// <summary>Data of the memory panel: what the garbage collector did while one request ran.</summary>
public sealed class MemoryData
{
    /// <summary>
    /// Bytes the request allocated. Measured as described by <see cref="AllocationMeasurement"/>: exact for the
    /// request's own work (every thread hop of its execution context), excluding work it did not flow to.
    /// </summary>
    public long AllocatedBytes { get; set; }

    /// <summary>How <see cref="AllocatedBytes"/> was measured, in words.</summary>
    public string AllocationMeasurement { get; set; } = "";

    /// <summary>Bytes the whole process allocated during the request (all threads, all concurrent requests).</summary>
    public long ProcessAllocatedBytes { get; set; }

    /// <summary>Times a thread entered the request's execution context (thread hops and resumptions after awaits).</summary>
    public int ThreadHops { get; set; }

    /// <summary>Generation 0 collections in the process while the request ran.</summary>
    public int Gen0Collections { get; set; }

    /// <summary>Generation 1 collections in the process while the request ran.</summary>
    public int Gen1Collections { get; set; }

    /// <summary>Generation 2 (full) collections in the process while the request ran.</summary>
    public int Gen2Collections { get; set; }

    /// <summary>Time the process was paused for garbage collection while the request ran, in milliseconds.</summary>
    public double GcPauseMs { get; set; }

    /// <summary>Size of the GC heap after the last collection, including fragmentation, in bytes.</summary>
    public long HeapSizeBytes { get; set; }

    /// <summary>Bytes the GC counts as in use (live objects plus garbage not yet collected), read at most twice a second.</summary>
    public long TotalMemoryBytes { get; set; }

    /// <summary>Free space inside the GC heap after the last collection (fragmentation), in bytes.</summary>
    public long FragmentedBytes { get; set; }

    /// <summary>Memory the GC has committed from the operating system, in bytes.</summary>
    public long CommittedBytes { get; set; }

    /// <summary>Bytes promoted (survived) by the last collection.</summary>
    public long PromotedBytes { get; set; }

    /// <summary>Physical memory of the process (working set) in bytes, read at most twice a second.</summary>
    public long WorkingSetBytes { get; set; }

    /// <summary>Share of the process's time spent paused for GC since it started, in percent.</summary>
    public double PauseTimePercentage { get; set; }

    /// <summary>Index (count) of the last collection, to tell collections apart.</summary>
    public long LastGcIndex { get; set; }

    /// <summary>
    /// Heap sizes after the last collection by generation: gen0, gen1, gen2, LOH, POH. Read-only: the records made
    /// between two collections share one list.
    /// </summary>
    public IReadOnlyList<GenerationSize> Generations { get; set; } = [];
}

/// <summary>Size of one GC generation after the last collection.</summary>
/// <param name="Name">Generation name: gen0, gen1, gen2, loh, poh.</param>
/// <param name="SizeBytes">Bytes in the generation after the collection (including fragmentation).</param>
/// <param name="FragmentedBytes">Free space in the generation after the collection.</param>
public sealed record GenerationSize(string Name, long SizeBytes, long FragmentedBytes);
