namespace Toolbar.Panels.Cpu;

/// <summary>Settings of the CPU panel, bound from the <c>Toolbar:Cpu</c> configuration section.</summary>
public sealed class CpuPanelOptions
{
    /// <summary>
    /// Longest a request is sampled, in seconds (default 30). A request that runs longer is profiled up to then and the
    /// panel says so: a long poll or a hung request neither grows the profile without bound nor keeps other requests
    /// from being profiled.
    /// </summary>
    public double MaxProfileSeconds { get; set; } = 30;
}
