using System.Diagnostics;

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

    /// <summary>How long the wait sessions keep listening after the last tracked request, before they stop (a minute; tests shorten it).</summary>
    internal TimeSpan IdleStop { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest a first read of the panel's data waits for the runtime's events of the request to be read.</summary>
    internal static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(3);

    private long _retryAfter;
    private readonly AppCode _appCode;
    private readonly Lock _lock = new();
    private readonly Timer _idle;
    private readonly Action _stop;
    private WaitSession? _session;
    private bool _starting;
    private int _users;
    private bool _disposed;

    /// <summary>Creates the panel (once per app). The wait session starts with the first tracked request.</summary>
    /// <param name="appCode">Tells the app's frames from the framework's.</param>
    public ThreadsPanel(AppCode appCode)
    {
        _appCode = appCode;
        using (ExecutionContext.SuppressFlow())
        {
            _idle = new Timer(static s => ((ThreadsPanel)s!).StopSession(onlyIfIdle: true), this, Timeout.Infinite, Timeout.Infinite);
        }

        _stop = () => StopSession(onlyIfIdle: false);
        RuntimeSessionPause.Register(_stop);
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

    /// <summary>The wait session, once it listens (tests).</summary>
    internal WaitSession? Session
    {
        get
        {
            lock (_lock)
            {
                return _session;
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

    /// <summary>Starts the wait session if it does not run and waits until it listens (tests, warm-up).</summary>
    internal WaitSession? EnsureListening(TimeSpan timeout)
    {
        lock (_lock)
        {
            StartSessionLocked();
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Session is null && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(10);
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
        state.Probe = QueueDelayProbe.Start();
        lock (_lock)
        {
            _users++;
            _idle.Change(Timeout.Infinite, Timeout.Infinite);
            StartSessionLocked();
            state.Session = _session;
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
        lock (_lock)
        {
            if (--_users == 0 && !_disposed)
            {
                _idle.Change(IdleStop, Timeout.InfiniteTimeSpan);
            }
        }

        var (delayMs, probeRan) = state.Probe?.Stop() ?? (0, false);
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
        if (session is null)
        {
            context.SetData(Build(figures, [], 0, start, _appCode, watched: false));
            return;
        }

        // The runtime's events reach the session's reader tens of milliseconds later; the list is made on first read.
        // A static builder with its inputs as state: no closure or delegate per request.
        context.SetLazyData((session, state, figures, context.Record, _appCode, start, end), static s =>
        {
            var (session, state, figures, record, appCode, start, end) = s;
            // A marker written now, after the request's end, tells when every wait of the request has been read. Written
            // here rather than when the request ended: each event costs the readers a parse, and most records are never read.
            WaitMarkerSource.Log.RequestEnded();
            var complete = session.WaitUntilRead(end, ReadTimeout);
            var (waits, dropped) = state.Take();
            state.Session = null;
            var (started, stopped, reasons) = session.PoolActivity(start, end);
            figures.Injections = started;
            figures.InjectionsCounted = true;
            figures.Retirements = stopped;
            figures.AdjustmentReasons = reasons;
            record.AddEstimatedBytes(waits.Length * 1024L);
            var data = Build(figures, waits, dropped, start, appCode, watched: true);
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
        WaitSession? session;
        lock (_lock)
        {
            _disposed = true;
            session = _session;
            _session = null;
        }

        RuntimeSessionPause.Unregister(_stop);
        _idle.Dispose();
        if (session is not null)
        {
            RequestThreadLog.RemoveSession();
            session.Dispose();
        }
    }

    // Under _lock.
    private void StartSessionLocked()
    {
        if (_session is not null || _starting || _disposed || RuntimeSessionPause.Paused || Stopwatch.GetTimestamp() < Interlocked.Read(ref _retryAfter))
        {
            return;
        }

        _starting = true;
        // Off the request: opening the session and its rundown take a few hundred ms. No execution context, so the
        // session's reader is nobody's request (its allocations and waits are not the app's).
        using (ExecutionContext.SuppressFlow())
        {
            ThreadPool.UnsafeQueueUserWorkItem(static panel => panel.OpenSession(), this, preferLocal: false);
        }
    }

    private void OpenSession()
    {
        WaitSession? session = null;
        try
        {
            session = WaitSession.Start(_appCode);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Diagnostics disabled (DOTNET_EnableDiagnostics=0), refused, or the runtime's session limit reached: the
            // panel lists no waits and says so. Runs on a pool thread: an exception here would end the app.
            // Not retried for a while, so that tracked requests do not each start a failing attempt.
            Interlocked.Exchange(ref _retryAfter, Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency));
        }

        lock (_lock)
        {
            _starting = false;
            if (_disposed || session is null || RuntimeSessionPause.Paused)
            {
                session?.Dispose();
                return;
            }

            _session = session;
            RequestThreadLog.AddSession();
        }
    }

    private void StopSession(bool onlyIfIdle)
    {
        if (!onlyIfIdle)
        {
            // A pause: a session still opening would run during the heap walk; wait until it opened (or gave up).
            var deadline = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                lock (_lock)
                {
                    if (!_starting)
                    {
                        break;
                    }
                }

                Thread.Sleep(10);
            }
        }

        WaitSession? session;
        lock (_lock)
        {
            if ((onlyIfIdle && _users > 0) || _session is null)
            {
                return;
            }

            session = _session;
            _session = null;
        }

        // The last marker: the readers read past the end of every request before their streams end, so records read
        // after the session stopped still know their waits are complete.
        WaitMarkerSource.Log.RequestEnded();
        RequestThreadLog.RemoveSession();
        session.Dispose();
    }

    internal static ThreadsData Build(ThreadPoolFigures figures, RawWait[] waits, int dropped, long requestStart, AppCode appCode, bool watched)
    {
        var data = new ThreadsData { ThreadPool = figures, ThresholdMs = ThresholdMs, DroppedWaits = dropped, WaitsWatched = watched };
        foreach (var wait in waits.OrderBy(w => w.StartTimestamp))
        {
            var duration = Stopwatch.GetElapsedTime(wait.StartTimestamp, wait.EndTimestamp).TotalMilliseconds;
            var stack = wait.Frames.Select(f => appCode.Resolve(f).ToString()).Concat(wait.UnresolvedAppFrames).ToList();
            data.BlockingWaits.Add(new BlockingWait
            {
                Kind = wait.Kind,
                Api = wait.Api,
                DurationMs = Math.Round(duration, 3),
                StartMs = Math.Round(Stopwatch.GetElapsedTime(requestStart, wait.StartTimestamp).TotalMilliseconds, 3),
                ThreadPoolThread = wait.ThreadPoolThread,
                Stack = stack,
            });
            data.BlockedMs += duration;
        }

        data.BlockedMs = Math.Round(data.BlockedMs, 3);
        if (figures.QueueDelayMs >= StarvationMs)
        {
            data.StarvationWarning = figures.QueueProbeStarted
                ? $"New work waited up to {figures.QueueDelayMs:0} ms for a thread-pool thread during this request: every thread was busy or blocked (the pool adds threads slowly)."
                : $"New work queued when this request started had not got a thread-pool thread {figures.QueueDelayMs:0} ms later, when it ended: every thread was busy or blocked (the pool adds threads slowly).";
        }

        return data;
    }
}
