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
    private LastGcInfo? _lastGc;
    private ProcessFigures? _process;

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
        state.Allocations = AllocationTracker.Start(context.Record);
    }

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var state = context.GetState<MemoryState>();
        var allocated = state.Allocations?.Stop() ?? 0;
        var gc = LastGc();
        var process = Process();
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
            HeapSizeBytes = gc.HeapSizeBytes,
            TotalMemoryBytes = process.TotalMemoryBytes,
            FragmentedBytes = gc.FragmentedBytes,
            CommittedBytes = gc.CommittedBytes,
            PromotedBytes = gc.PromotedBytes,
            PauseTimePercentage = gc.PauseTimePercentage,
            LastGcIndex = gc.Index,
            WorkingSetBytes = process.WorkingSetBytes,
            // Figures of the last GC are the same for every request until the next GC: one list serves them all.
            Generations = gc.Generations,
        };

        context.SetData(data);
    }

    /// <inheritdoc />
    public override IEnumerable<ToolbarMcpTool> GetMcpTools() => MemoryMcpTools.Create(Snapshots);

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => MemoryEndpoints.Map(endpoints, Snapshots);

    /// <inheritdoc />
    protected override object? Compare(MemoryData a, MemoryData b) => new
    {
        allocatedBytes = CompareFigure.Of(a.AllocatedBytes, b.AllocatedBytes),
        gen0Collections = CompareFigure.Of(a.Gen0Collections, b.Gen0Collections),
        gen2Collections = CompareFigure.Of(a.Gen2Collections, b.Gen2Collections),
    };

    /// <inheritdoc />
    protected override string? GetNavSubtitle(MemoryData data) => ByteSize.Format(data.AllocatedBytes) + " alloc";

    /// <inheritdoc />
    protected override PanelStatus GetStatus(MemoryData data) => data.Gen2Collections > 0 ? PanelStatus.Warning : PanelStatus.Normal;

    /// <summary>What the last GC left, read again only after another GC ran (reading it allocates).</summary>
    private LastGcInfo LastGc()
    {
        var collections = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        var cached = Volatile.Read(ref _lastGc);
        if (cached is not null && cached.Collections == collections)
        {
            return cached;
        }

        var info = GC.GetGCMemoryInfo();
        string[] names = ["gen0", "gen1", "gen2", "loh", "poh"];
        var generations = new List<GenerationSize>(names.Length);
        var sizes = info.GenerationInfo;
        for (var i = 0; i < sizes.Length && i < names.Length; i++)
        {
            generations.Add(new GenerationSize(names[i], sizes[i].SizeAfterBytes, sizes[i].FragmentationAfterBytes));
        }

        var fresh = new LastGcInfo(collections, info.Index, info.HeapSizeBytes, info.FragmentedBytes, info.TotalCommittedBytes,
            info.PromotedBytes, info.PauseTimePercentage, generations.AsReadOnly());
        Volatile.Write(ref _lastGc, fresh);
        return fresh;
    }

    /// <summary>
    /// The working set and the GC heap in use, read at most twice a second: process figures, and reading them parses
    /// a /proc file on Linux and takes the GC's lock.
    /// </summary>
    private ProcessFigures Process()
    {
        var now = Stopwatch.GetTimestamp();
        var cached = Volatile.Read(ref _process);
        if (cached is not null && now - cached.ReadAt <= s_workingSetMaxAgeTicks)
        {
            return cached;
        }

        var fresh = new ProcessFigures(now, Environment.WorkingSet, GC.GetTotalMemory(forceFullCollection: false));
        Volatile.Write(ref _process, fresh);
        return fresh;
    }

    private sealed record ProcessFigures(long ReadAt, long WorkingSetBytes, long TotalMemoryBytes);

    private sealed record LastGcInfo(int Collections, long Index, long HeapSizeBytes, long FragmentedBytes, long CommittedBytes,
        long PromotedBytes, double PauseTimePercentage, IReadOnlyList<GenerationSize> Generations);
}
