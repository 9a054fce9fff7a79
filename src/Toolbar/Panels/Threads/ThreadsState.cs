namespace Toolbar.Panels.Threads;

/// <summary>
/// Per-request collector state of the threads panel. It is also the request's execution-context observer: each thread
/// that runs the request notes when (<see cref="RequestThreadLog"/>), so a wait the runtime reports later finds its request.
/// The per-thread log keeps it after the request ends: it holds only the request's raw waits and the sessions that watch
/// them, nothing of the request itself (no context, no record).
/// </summary>
internal sealed class ThreadsState : IExecutionContextObserver
{
    /// <summary>Most waits kept per request; the rest are only counted.</summary>
    public const int MaxWaits = 100;

    private readonly Lock _lock = new();
    private List<RawWait>? _waits;
    private List<TaskWaitSpan>? _taskWaits;
    private int _dropped;
    private volatile bool _finished;

    public int ThreadsStart { get; set; }

    public long QueueStart { get; set; }

    public long CompletedStart { get; set; }

    /// <summary>Where the request's queue-delay measurements begin (see <see cref="QueueDelayMonitor"/>).</summary>
    public long ProbeMark { get; set; }

    /// <summary>The wait session that watched the request, or <c>null</c> when it was not listening yet.</summary>
    public WaitSession? Session { get; set; }

    /// <summary>The light session (pool events, task waits) that watched the request, or <c>null</c>.</summary>
    public PoolSession? Pool { get; set; }

    /// <summary>The task-wait session that timed the request's task waits, or <c>null</c> when none listened.</summary>
    public TaskWaitSession? TaskWaits { get; set; }

    public void Add(RawWait wait)
    {
        lock (_lock)
        {
            _waits ??= [];
            if (_waits.Count < MaxWaits)
            {
                _waits.Add(wait);
            }
            else
            {
                _dropped++;
            }
        }
    }

    public void AddTaskWait(TaskWaitSpan wait)
    {
        lock (_lock)
        {
            _taskWaits ??= [];
            if (_taskWaits.Count < MaxWaits)
            {
                _taskWaits.Add(wait);
            }
        }
    }

    /// <summary>The request's raw waits and task waits, taken once: the state keeps nothing of them afterwards.</summary>
    public (RawWait[] Waits, TaskWaitSpan[] TaskWaits, int Dropped) Take()
    {
        lock (_lock)
        {
            var taken = (_waits is null ? [] : _waits.ToArray(), _taskWaits is null ? [] : _taskWaits.ToArray(), _dropped);
            _waits = null;
            _taskWaits = null;
            Session = null;
            Pool = null;
            TaskWaits = null;
            return taken;
        }
    }

    /// <summary>The request ended: no more stretches are noted.</summary>
    public void Finish()
    {
        RequestThreadLog.Leave(this);
        _finished = true;
    }

    public void OnEntered()
    {
        if (!_finished)
        {
            RequestThreadLog.Enter(this);
        }
    }

    public void OnLeft() => RequestThreadLog.Leave(this);
}
