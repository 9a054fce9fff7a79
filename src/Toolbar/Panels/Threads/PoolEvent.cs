namespace Toolbar.Panels.Threads;

/// <summary>One thing the thread pool did: a worker thread started or stopped, or the pool changed its thread goal (with why).</summary>
internal readonly record struct PoolEvent(long Timestamp, PoolEventKind Kind, string? Reason);
