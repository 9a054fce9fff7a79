namespace Toolbar.Panels.Cpu;

/// <summary>
/// Data of the CPU panel: a sampled profile of one request. Every figure counts only samples of threads while they
/// ran the request's execution context.
/// </summary>
public sealed class CpuData
{
    /// <summary>The data of every request that was not profiled (one shared instance: unprofiled requests cost nothing).</summary>
    internal static readonly CpuData NotProfiled = new();

    /// <summary>Whether this request was profiled.</summary>
    public bool Profiled { get; init; }

    /// <summary>Why a request that asked to be profiled was not (another profile was running, the session failed), else <c>null</c>.</summary>
    public string? Refused { get; init; }

    /// <summary>How profiling was asked for: <c>header</c>, <c>query</c> or <c>armed</c>; <c>null</c> when not profiled.</summary>
    public string? Trigger { get; init; }

    /// <summary>Samples attributed to the request.</summary>
    public int SampleCount { get; init; }

    /// <summary>Samples taken outside managed code (native code or blocking waits), included in <see cref="SampleCount"/>.</summary>
    public int OutsideManagedSamples { get; init; }

    /// <summary>
    /// The sampler's period in milliseconds as measured during this profile (the runtime aims at 1 ms and runs late on
    /// a busy machine): each sample stands for about this much thread time.
    /// </summary>
    public double IntervalMs { get; init; }

    /// <summary>How long the profiler sampled, in milliseconds (the request's run from the panel's start hook to its finish hook).</summary>
    public double DurationMs { get; init; }

    /// <summary>
    /// Whether sampling stopped before the request finished because the profile reached its limit
    /// (<see cref="CpuPanel.MaxProfileDuration"/>); <see cref="DurationMs"/> is then the time sampled.
    /// </summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>Distinct OS threads the request's samples came from.</summary>
    public int ThreadCount { get; init; }

    /// <summary>Sampler rounds during the profile (each samples every managed thread once); <see cref="IntervalMs"/> is <see cref="DurationMs"/> divided by them.</summary>
    public int Rounds { get; init; }

    /// <summary>Samples of all threads of the process during the profile (the request's share is <see cref="SampleCount"/>).</summary>
    public int ProcessSampleCount { get; init; }

    /// <summary>Functions by self samples, descending (then total samples).</summary>
    public IReadOnlyList<CpuFunction> Functions { get; init; } = [];

    /// <summary>
    /// The call tree as a flat list in depth-first order: the first node is the root (the whole request), each node names
    /// its parent, and a node's children follow it by total samples, descending. Empty when not profiled.
    /// </summary>
    public IReadOnlyList<CpuNode> Tree { get; init; } = [];
}
