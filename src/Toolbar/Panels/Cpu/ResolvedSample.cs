namespace Toolbar.Panels.Cpu;

/// <summary>One sample of the request: its thread, time (Stopwatch clock) and frames, leaf first.</summary>
internal sealed record ResolvedSample(ulong ThreadId, long Timestamp, CpuFrame[] Frames);
