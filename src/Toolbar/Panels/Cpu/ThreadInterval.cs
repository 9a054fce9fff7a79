namespace Toolbar.Panels.Cpu;

/// <summary>A stretch of time one OS thread ran the request's execution context (Stopwatch timestamps).</summary>
internal readonly record struct ThreadInterval(ulong ThreadId, long Start, long End);
