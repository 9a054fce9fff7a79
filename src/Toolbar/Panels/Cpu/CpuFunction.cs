namespace Toolbar.Panels.Cpu;

/// <summary>One function of a profile with its sample counts.</summary>
public sealed class CpuFunction
{
    /// <summary>Method name with namespace and type (<c>SampleApp.Hot.Spin(int32)</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>The module (assembly) the code is in.</summary>
    public string Module { get; init; } = "";

    /// <summary>Samples in which this function was running (the leaf frame).</summary>
    public int SelfSamples { get; init; }

    /// <summary>Samples in which this function was on the stack (counted once per sample, also when recursive).</summary>
    public int TotalSamples { get; init; }

    /// <summary>Whether the code is the app's own (not the framework, a package or the toolbar).</summary>
    public bool AppCode { get; init; }
}
