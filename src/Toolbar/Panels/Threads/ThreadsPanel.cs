using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Toolbar.Panels.Threads;

/// <summary>
/// The threads panel: the request's blocking waits as the runtime reports them (a contended <c>lock</c>, a wait handle or
/// <c>SemaphoreSlim</c>, sync over async: <c>Task.Result</c>, <c>.Wait()</c>, <c>GetAwaiter().GetResult()</c>), each with
/// how long it blocked and the app's frames that blocked, the thread pool before and after the request, and a warning
/// when new work waited for a thread.
/// </summary>
public sealed class ThreadsPanel : ToolbarPanel<ThreadsData>, IDisposable
{
    /// <summary>Queue delay from which the panel warns of starvation, in ms.</summary>
    internal const double StarvationMs = 50;

    /// <summary>Shortest wait listed, in ms: a wait on something already free ends within microseconds.</summary>
    internal const double ThresholdMs = 1;

    /// <summary>How long the panel keeps its reference to the shared wait sessions after its last tracked request (a minute; tests shorten it).</summary>
    internal TimeSpan IdleStop { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest a first read of the panel's data waits for the runtime's events of the request to be read.</summary>
    internal static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(3);

    private readonly AppCode _appCode;
    private readonly bool _taskWaits;
    private readonly Lock _lock = new();
    private readonly Timer _idle;
    private bool _holding;
    private int _users;
    private bool _disposed;

    /// <summary>Creates the panel (once per app). The shared wait sessions start with the first tracked request.</summary>
    /// <param name="appCode">Tells the app's frames from the framework's.</param>
    /// <param name="options">The panel's options (<c>Toolbar:Threads</c>).</param>
    public ThreadsPanel(AppCode appCode, IOptions<ThreadsPanelOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _appCode = appCode;
        _taskWaits = options.Value.TaskWaits;
        using (ExecutionContext.SuppressFlow())
        {
            _idle = new Timer(static s => ((ThreadsPanel)s!).Release(onlyIfIdle: true), this, Timeout.Infinite, Timeout.Infinite);
        }
    }

    /// <inheritdoc />
    public override string Id => "threads";

    /// <inheritdoc />
    public override string Title => "Threads";

    /// <inheritdoc />
    public override Type? ViewType => typeof(ThreadsPanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets =>
    [
        PanelAsset.Embedded<ThreadsPanel>("threads.css", "Toolbar.Panels.threads.css"),
    ];

    /// <summary>The shared wait session, while this panel holds a reference to it and it listens (tests).</summary>
    internal WaitSession? Session
    {
        get
        {
            lock (_lock)
            {
                return _holding ? WaitListener.Session : null;
            }
        }
    }

    /// <summary>How many tracked requests currently run (tests).</summary>
    internal int Users
    {
        get
        {
            lock (_lock)
            {
                return _users;
            }
        }
    }

    /// <summary>Takes a reference to the shared sessions, starts them if they do not run and waits until they listen (tests, warm-up).</summary>
    internal WaitSession? EnsureListening(TimeSpan timeout)
    {
        lock (_lock)
        {
            Hold();
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var (session, pool, tasks) = WaitListener.Current();
            if (session is not null && pool is not null && (!_taskWaits || tasks is not null))
            {
                break;
            }

            Thread.Sleep(10);
        }

        lock (_lock)
        {
            // Let go after the idle time from now, unless a tracked request comes.
            if (_users == 0 && !_disposed)
            {
                _idle.Change(IdleStop, Timeout.InfiniteTimeSpan);
            }
        }

        return Session;
    }

    /// <inheritdoc />
    public override void OnRequestStarted(PanelContext context)
    {
        var state = context.GetState<ThreadsState>();
        state.ThreadsStart = ThreadPool.ThreadCount;
        state.QueueStart = ThreadPool.PendingWorkItemCount;
        state.CompletedStart = ThreadPool.CompletedWorkItemCount;
        state.ProbeMark = QueueDelayMonitor.Enter();
        // The lock and the idle timer only when the panel goes from idle to busy (or lost its hold): a timer change
        // takes the runtime's timer lock, and requests running at once would contend for both on every request.
        if (Interlocked.Increment(ref _users) == 1 || !Volatile.Read(ref _holding))
        {
            lock (_lock)
            {
                _idle.Change(Timeout.Infinite, Timeout.Infinite);
                Hold();
            }
        }

        if (!_disposed)
        {
            (state.Session, state.Pool, state.TaskWaits) = WaitListener.Current();
        }

        if (state.Session is not null)
        {
            // This thread already runs the request: its stretch opens now, later hops open their own.
            state.OnEntered();
            context.Record.AddExecutionContextObserver(state);
        }
    }

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var state = context.Record.FindState<ThreadsState>();
        if (state is null)
        {
            return;
        }

        state.Finish();
        var end = Stopwatch.GetTimestamp();
        if (Interlocked.Decrement(ref _users) == 0)
        {
            lock (_lock)
            {
                // A request that started meanwhile stopped the timer (under the lock) or will.
                if (Volatile.Read(ref _users) == 0 && !_disposed)
                {
                    _idle.Change(IdleStop, Timeout.InfiniteTimeSpan);
                }
            }
        }

        var (delayMs, probeRan) = QueueDelayMonitor.Exit(state.ProbeMark, context.Record.StartTimestamp);
        var figures = new ThreadPoolFigures
        {
            ThreadsStart = state.ThreadsStart,
            ThreadsEnd = ThreadPool.ThreadCount,
            QueueStart = state.QueueStart,
            QueueEnd = ThreadPool.PendingWorkItemCount,
            CompletedWorkItems = ThreadPool.CompletedWorkItemCount - state.CompletedStart,
            QueueDelayMs = Math.Round(delayMs, 3),
            QueueProbeStarted = probeRan,
        };
        figures.Injections = Math.Max(0, figures.ThreadsEnd - figures.ThreadsStart);
        var start = context.Record.StartTimestamp;
        var session = state.Session;
        var pool = state.Pool;
        var tasks = state.TaskWaits;
        if (session is null)
        {
            state.Take();
            context.SetData(ThreadsDataBuilder.Build(figures, [], [], 0, start, _appCode, watched: false));
            return;
        }

        // The runtime's events reach the session's reader tens of milliseconds later, so the list is made on first read.
        // The marker written then is later than the request's end: once each reader has seen it, every wait of the
        // request has been read. Written at read time, not here: an event write goes to every session (with a stack
        // walk for the wait session), a cost each request would pay whether or not anybody looks at its record.
        context.SetLazyData(new LazyInput(state, session, pool, tasks, figures, start, end, _appCode, context.Record), static input =>
        {
            WaitMarkerSource.Log.RequestEnded();
            var complete = input.Session.WaitUntilRead(input.End, ReadTimeout)
                & (input.Pool?.WaitUntilRead(input.End, ReadTimeout) ?? true)
                & (input.Tasks?.WaitUntilRead(input.End, ReadTimeout) ?? true);
            var (waits, taskWaits, dropped) = input.State.Take();
            var figures = input.Figures;
            if (input.Pool is { } pool && pool.Covered(input.Start, input.End))
            {
                // The pool's own events for the whole request: the threads it started, not only the count's growth.
                var (started, stopped, reasons) = pool.PoolActivity(input.Start, input.End);
                figures.Injections = started;
                figures.InjectionsCounted = true;
                figures.Retirements = stopped;
                figures.AdjustmentReasons = reasons;
            }

            input.Record.AddEstimatedBytes(waits.Length * 1024L);
            var data = ThreadsDataBuilder.Build(figures, waits, taskWaits, dropped, input.Start, input.AppCode, watched: true);
            data.WaitsComplete = complete;
            return data;
        });
    }

    /// <inheritdoc />
    protected override string? GetNavSubtitle(ThreadsData data) => data.BlockingWaits.Count switch
    {
        0 when !data.WaitsWatched => "waits not watched",
        0 when data.StarvationWarning is not null => "starved",
        0 => "no blocking",
        1 => $"1 blocking wait, {data.BlockedMs:0.#} ms",
        var n => $"{n} blocking waits, {data.BlockedMs:0.#} ms",
    };

    /// <inheritdoc />
    protected override PanelStatus GetStatus(ThreadsData data) =>
        data.BlockingWaits.Count > 0 || data.StarvationWarning is not null ? PanelStatus.Warning : PanelStatus.Normal;

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _idle.Dispose();
        Release(onlyIfIdle: false);
    }

    // Under _lock: the panel takes its reference to the shared sessions (once, until it lets go).
    private void Hold()
    {
        if (!_holding && !_disposed)
        {
            _holding = true;
            WaitListener.AddUser(_taskWaits);
        }
    }

    private void Release(bool onlyIfIdle)
    {
        lock (_lock)
        {
            if (!_holding || (onlyIfIdle && Volatile.Read(ref _users) > 0))
            {
                return;
            }

            _holding = false;
            // A request counts itself in before it reads _holding, outside the lock; let go only if none did meanwhile.
            // Either it sees _holding false (and takes the hold again under the lock) or this sees it counted.
            Interlocked.MemoryBarrier();
            if (onlyIfIdle && Volatile.Read(ref _users) > 0)
            {
                _holding = true;
                return;
            }
        }

        WaitListener.RemoveUser(_taskWaits);
    }

    private sealed record LazyInput(ThreadsState State, WaitSession Session, PoolSession? Pool, TaskWaitSession? Tasks, ThreadPoolFigures Figures, long Start, long End, AppCode AppCode, RequestRecord Record);
}
