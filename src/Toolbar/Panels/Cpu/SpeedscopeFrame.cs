namespace Toolbar.Panels.Cpu;

/// <summary>A frame: the method's name and, as its "file", its module.</summary>
internal sealed record SpeedscopeFrame(string Name, string File);
