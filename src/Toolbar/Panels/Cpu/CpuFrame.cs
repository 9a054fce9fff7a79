namespace Toolbar.Panels.Cpu;

/// <summary>A frame: method name (namespace, type, method) and the module (assembly) it is in.</summary>
internal sealed record CpuFrame(string Name, string Module, string? ModulePath)
{
    /// <summary>The leaf of a sample taken while the thread ran outside managed code (native code or a blocking wait).</summary>
    public static readonly CpuFrame Outside = new("(native code or blocked)", "(runtime)", null);
}
