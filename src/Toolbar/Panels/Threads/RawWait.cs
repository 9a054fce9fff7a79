using System.Diagnostics;

namespace Toolbar.Panels.Threads;

/// <summary>A blocking wait as caught on the blocked thread: timestamps and the stack, formatted only if somebody reads it.</summary>
internal readonly record struct RawWait(long StartTimestamp, long EndTimestamp, StackTrace Stack, bool ThreadPoolThread);
