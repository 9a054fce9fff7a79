namespace Toolbar.Panels.Threads;

/// <summary>A thread blocked on a task, from the task library's wait begin to its end (spinning included).</summary>
internal readonly record struct TaskWaitSpan(ulong ThreadId, long StartTimestamp, long EndTimestamp, bool ThreadPoolThread);
