namespace Toolbar.Panels.Config;

/// <summary>A loaded assembly.</summary>
/// <param name="Name">Simple name.</param>
/// <param name="Version">Informational version when present, else the assembly version.</param>
public sealed record AssemblyVersion(string Name, string Version);
