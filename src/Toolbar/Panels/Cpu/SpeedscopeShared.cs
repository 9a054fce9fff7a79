namespace Toolbar.Panels.Cpu;

/// <summary>Frames shared by the profiles.</summary>
internal sealed record SpeedscopeShared(IReadOnlyList<SpeedscopeFrame> Frames);
