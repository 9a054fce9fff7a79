namespace Toolbar.Panels.Cpu;

/// <summary>Per-request state of the CPU panel; exists only for requests that asked to be profiled.</summary>
internal sealed class CpuState
{
    public string Trigger { get; set; } = "";

    public string? Refusal { get; set; }

    public CpuProfileSession? Session { get; set; }

    public RequestThreadIntervals? Intervals { get; set; }

    public long StartedAt { get; set; }

    /// <summary>Stops sampling when the request outlives the profile's limit.</summary>
    public Timer? Limit { get; set; }
}
