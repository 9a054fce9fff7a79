using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace Toolbar.Panels.Threads;

/// <summary>
/// Catches blocking waits on tasks (<c>Task.Result</c>, <c>Task.Wait()</c>, <c>GetAwaiter().GetResult()</c>,
/// <c>Task.WaitAll()</c>) on the thread that blocks. The runtime's TPL event source reports the start and end of
/// every synchronous task wait from inside the wait, on the waiting thread, and an in-process listener is called
/// right there: so the request is found through its ambient record, and the stack captured is the one that blocked.
/// </summary>
/// <remarks>
/// The source is enabled only while at least one tracked request runs: while it is, every task and await of the
/// process raises events (the cost measured in bench/RESULTS.md). Waits shorter than <see cref="ThresholdMs"/> are
/// not kept: a wait on a task that is already done starts and ends within microseconds.
/// </remarks>
internal sealed class BlockingWaitListener : EventListener
{
    public const double ThresholdMs = 1;

    private const string TplSourceName = "System.Threading.Tasks.TplEventSource";
    private const int TaskWaitBeginId = 10;
    private const int TaskWaitEndId = 11;
    private const int SynchronousWait = 1;
    private const EventKeywords TasksKeyword = (EventKeywords)0x2;

    private static readonly long s_thresholdTicks = (long)(ThresholdMs * Stopwatch.Frequency / 1000);

    [ThreadStatic]
    private static int t_waitingTaskId;

    [ThreadStatic]
    private static long t_waitStart;

    // Initialized before the base constructor runs, which already reports the existing sources.
    private readonly Lock _lock = new();
    private EventSource? _tpl;
    private int _users;
    private Func<ThreadsState?>? _findState;

    /// <summary>Finds, on the blocked thread (still inside the request's execution context), the state of the request that waited.</summary>
    public Func<ThreadsState?>? FindState
    {
        get => _findState;
        set => _findState = value;
    }

    /// <summary>How many tracked requests currently listen.</summary>
    public int Users
    {
        get
        {
            lock (_lock)
            {
                return _users;
            }
        }
    }

    /// <summary>A tracked request starts: listen (the first one turns the events on).</summary>
    public void Acquire()
    {
        lock (_lock)
        {
            if (_users++ == 0 && _tpl is not null)
            {
                EnableEvents(_tpl, EventLevel.Verbose, TasksKeyword);
            }
        }
    }

    /// <summary>A tracked request ends: the last one turns the events off.</summary>
    public void Release()
    {
        lock (_lock)
        {
            if (--_users == 0 && _tpl is not null)
            {
                DisableEvents(_tpl);
            }
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name != TplSourceName)
        {
            return;
        }

        lock (_lock)
        {
            _tpl = eventSource;
            if (_users > 0)
            {
                EnableEvents(eventSource, EventLevel.Verbose, TasksKeyword);
            }
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // Runs for every task event of the process while enabled: decide on the id first.
        switch (eventData.EventId)
        {
            case TaskWaitBeginId:
                if (eventData.Payload is { Count: >= 4 } begin && Convert.ToInt32(begin[3]) == SynchronousWait)
                {
                    t_waitingTaskId = Convert.ToInt32(begin[2]);
                    t_waitStart = Stopwatch.GetTimestamp();
                }

                break;
            case TaskWaitEndId:
                if (t_waitingTaskId != 0 && eventData.Payload is { Count: >= 3 } end && Convert.ToInt32(end[2]) == t_waitingTaskId)
                {
                    t_waitingTaskId = 0;
                    var now = Stopwatch.GetTimestamp();
                    if (now - t_waitStart >= s_thresholdTicks && _findState?.Invoke() is { } state)
                    {
                        // Still on the blocked thread, inside the wait: the stack shows who waited.
                        state.Add(new RawWait(t_waitStart, now, new StackTrace(1, fNeedFileInfo: true), Thread.CurrentThread.IsThreadPoolThread));
                    }
                }

                break;
        }
    }
}
