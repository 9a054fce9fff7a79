namespace Toolbar.Panels.Memory;

/// <summary>Raw GC counters at the start of a request; the panel subtracts them at the end.</summary>
internal sealed class MemoryState
{
    public AllocationTracker? Allocations { get; set; }

    public long ProcessAllocatedAtStart { get; set; }

    public int Gen0AtStart { get; set; }

    public int Gen1AtStart { get; set; }

    public int Gen2AtStart { get; set; }

    public TimeSpan PauseAtStart { get; set; }
}
