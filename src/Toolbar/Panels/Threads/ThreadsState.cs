namespace Toolbar.Panels.Threads;

/// <summary>
/// Per-request collector state of the threads panel. It is also the request's execution-context observer: each thread
/// that runs the request notes when (<see cref="RequestThreadLog"/>), so a wait the runtime reports later finds its request.
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

    public QueueDelayProbe? Probe { get; set; }

    /// <summary>The wait session that watched the request, or <c>null</c> when it was not listening yet.</summary>
    public WaitSession? Session { get; set; }

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

    /// <summary>
    /// The request's waits: each task wait (timed by the task library) takes the kind and frames of the runtime's
    /// blocking wait inside it, on the same thread; the runtime's other waits stay as they are.
    /// </summary>
    public (RawWait[] Waits, int Dropped) Take()
    {
        lock (_lock)
        {
            var runtime = _waits ?? [];
            if (_taskWaits is null)
            {
                return ([.. runtime], _dropped);
            }

            var merged = new List<RawWait>();
            var inside = new HashSet<RawWait>();
            foreach (var task in _taskWaits)
            {
                var blocking = runtime.Where(w => w.ThreadId == task.ThreadId && w.StartTimestamp >= task.StartTimestamp && w.StartTimestamp <= task.EndTimestamp).ToList();
                inside.UnionWith(blocking);
                var first = blocking.FirstOrDefault();
                var kind = first?.Kind is { } k && (k.StartsWith("Task", StringComparison.Ordinal) || k.StartsWith("GetAwaiter", StringComparison.Ordinal)) ? k : "Task wait";
                merged.Add(new RawWait(kind, first?.Api ?? kind, task.StartTimestamp, task.EndTimestamp, first?.Frames ?? [], first?.UnresolvedAppFrames ?? [], task.ThreadPoolThread, task.ThreadId));
            }

            merged.AddRange(runtime.Where(w => !inside.Contains(w)));
            return ([.. merged], _dropped);
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
