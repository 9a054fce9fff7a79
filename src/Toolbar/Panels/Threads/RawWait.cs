namespace Toolbar.Panels.Threads;

/// <summary>A blocking wait as read from the runtime's events: timestamps, kind and the app's frames, resolved to files on first read.</summary>
internal sealed record RawWait(string Kind, string? Api, long StartTimestamp, long EndTimestamp, IReadOnlyList<CapturedFrame> Frames, IReadOnlyList<string> UnresolvedAppFrames, bool ThreadPoolThread, ulong ThreadId);
