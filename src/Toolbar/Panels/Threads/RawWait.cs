namespace Toolbar.Panels.Threads;

/// <summary>
/// A blocking wait as read from the runtime's events: timestamps, what the runtime said about it and the raw stack
/// (leaf first). Named and reduced to the app's frames when the request's data is built.
/// </summary>
internal sealed record RawWait(bool IsLock, int WaitSource, long StartTimestamp, long EndTimestamp, WaitFrame[] Stack, bool ThreadPoolThread, ulong ThreadId);
