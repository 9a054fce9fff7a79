using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Toolbar.Internal;

namespace Toolbar.Panels.Memory;

/// <summary>
/// The memory panel: what the GC did during a request (allocated bytes, collections, pause, heap), and
/// heap snapshots of the running app by type with diffs between them (the leak finder).
/// </summary>
public sealed class MemoryPanel : ToolbarPanel<MemoryData>
{
    internal const string MeasurementLabel =
        "Exact for the request's own work: per-thread allocation counters summed over every thread hop of the request's execution context. Work the request did not flow to (other requests, background timers) is excluded.";

    private static readonly long s_workingSetMaxAgeTicks = Stopwatch.Frequency / 2;
    private long _workingSet;
    private long _workingSetReadAt;

    /// <summary>Creates the panel with its own snapshot store.</summary>
    public MemoryPanel() => Snapshots = new HeapSnapshotStore(new HeapSnapshotter());

    /// <inheritdoc />
    public override string Id => "memory";

    /// <inheritdoc />
    public override string Title => "Memory";

    /// <inheritdoc />
    public override Type? ViewType => typeof(MemoryPanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets =>
    [
        PanelAsset.Embedded<MemoryPanel>("memory.css", "Toolbar.Panels.memory.css"),
        PanelAsset.Embedded<MemoryPanel>("memory.js", "Toolbar.Panels.memory.js"),
    ];

    internal HeapSnapshotStore Snapshots { get; }

    /// <inheritdoc />
    public override void OnRequestStarted(PanelContext context)
    {
        var state = context.GetState<MemoryState>();
        state.Gen0AtStart = GC.CollectionCount(0);
        state.Gen1AtStart = GC.CollectionCount(1);
        state.Gen2AtStart = GC.CollectionCount(2);
        state.PauseAtStart = GC.GetTotalPauseDuration();
        state.ProcessAllocatedAtStart = GC.GetTotalAllocatedBytes(precise: false);
        state.Allocations = AllocationTracker.Start();
    }

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var state = context.GetState<MemoryState>();
        var allocated = state.Allocations?.Stop() ?? 0;
        var info = GC.GetGCMemoryInfo();
        var data = new MemoryData
        {
            AllocatedBytes = allocated,
            AllocationMeasurement = MeasurementLabel,
            ThreadHops = state.Allocations?.Hops ?? 0,
            ProcessAllocatedBytes = GC.GetTotalAllocatedBytes(precise: false) - state.ProcessAllocatedAtStart,
            Gen0Collections = GC.CollectionCount(0) - state.Gen0AtStart,
            Gen1Collections = GC.CollectionCount(1) - state.Gen1AtStart,
            Gen2Collections = GC.CollectionCount(2) - state.Gen2AtStart,
            GcPauseMs = (GC.GetTotalPauseDuration() - state.PauseAtStart).TotalMilliseconds,
            HeapSizeBytes = info.HeapSizeBytes,
            TotalMemoryBytes = GC.GetTotalMemory(forceFullCollection: false),
            FragmentedBytes = info.FragmentedBytes,
            CommittedBytes = info.TotalCommittedBytes,
            PromotedBytes = info.PromotedBytes,
            PauseTimePercentage = info.PauseTimePercentage,
            LastGcIndex = info.Index,
            WorkingSetBytes = WorkingSet(),
        };

        string[] names = ["gen0", "gen1", "gen2", "loh", "poh"];
        var generations = info.GenerationInfo;
        for (var i = 0; i < generations.Length && i < names.Length; i++)
        {
            data.Generations.Add(new GenerationSize(names[i], generations[i].SizeAfterBytes, generations[i].FragmentationAfterBytes));
        }

        context.SetData(data);
    }

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => MemoryEndpoints.Map(endpoints, Snapshots);

    /// <inheritdoc />
    protected override string? GetNavSubtitle(MemoryData data) => ByteSize.Format(data.AllocatedBytes) + " alloc";

    /// <inheritdoc />
    protected override PanelStatus GetStatus(MemoryData data) => data.Gen2Collections > 0 ? PanelStatus.Warning : PanelStatus.Normal;

    /// <summary>The working set, read at most twice a second: reading it parses a /proc file on Linux.</summary>
    private long WorkingSet()
    {
        var now = Stopwatch.GetTimestamp();
        var readAt = Volatile.Read(ref _workingSetReadAt);
        if (readAt == 0 || now - readAt > s_workingSetMaxAgeTicks)
        {
            Volatile.Write(ref _workingSet, Environment.WorkingSet);
            Volatile.Write(ref _workingSetReadAt, now);
        }

        return Volatile.Read(ref _workingSet);
    }
}
