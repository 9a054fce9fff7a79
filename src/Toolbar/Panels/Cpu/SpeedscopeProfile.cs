namespace Toolbar.Panels.Cpu;

/// <summary>A sampled profile: stacks of frame indexes, root first, and the weight of each.</summary>
internal sealed record SpeedscopeProfile(string Type, string Name, string Unit, double StartValue, double EndValue, IReadOnlyList<int[]> Samples, IReadOnlyList<double> Weights);
