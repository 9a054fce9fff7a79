namespace Toolbar.Panels.Cpu;

/// <summary>
/// A node of the call tree: one function called along one path. The tree is a flat list in depth-first order (a
/// node's children follow it, heaviest first), each node naming its parent, so that the deep stacks of a web request
/// (often 100 frames) stay far from any JSON nesting limit.
/// </summary>
public sealed class CpuNode
{
    /// <summary>Index into <see cref="CpuData.Functions"/>; -1 for the root, which stands for the whole request.</summary>
    public int Function { get; init; } = -1;

    /// <summary>Index of the parent node in <see cref="CpuData.Tree"/>; -1 for the root.</summary>
    public int Parent { get; init; } = -1;

    /// <summary>Samples with this path on the stack.</summary>
    public int TotalSamples { get; init; }

    /// <summary>Samples that ended here (this function was running).</summary>
    public int SelfSamples { get; init; }
}
