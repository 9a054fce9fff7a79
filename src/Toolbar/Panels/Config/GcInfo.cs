namespace Toolbar.Panels.Config;

/// <summary>How the garbage collector runs.</summary>
public sealed class GcInfo
{
    /// <summary>Server GC (<c>true</c>) or workstation GC.</summary>
    public bool ServerGc { get; set; }

    /// <summary>Whether background (concurrent) collections are on.</summary>
    public bool Concurrent { get; set; }

    /// <summary>GC latency mode.</summary>
    public string LatencyMode { get; set; } = "";

    /// <summary>Processors the runtime may use.</summary>
    public int ProcessorCount { get; set; }
}
