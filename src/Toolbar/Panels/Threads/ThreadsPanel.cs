using System.Diagnostics;

namespace Toolbar.Panels.Threads;

/// <summary>
/// The threads panel: blocking waits by the request's own code (sync over async: <c>Task.Result</c>,
/// <c>.Wait()</c>, <c>GetAwaiter().GetResult()</c>) with how long each blocked and the app's frames that
/// blocked, the thread pool before and after the request, and a warning when new work waited for a thread.
/// </summary>
public sealed class ThreadsPanel : ToolbarPanel<ThreadsData>, IDisposable
{
    /// <summary>Queue delay from which the panel warns of starvation, in ms.</summary>
    internal const double StarvationMs = 50;

    private readonly Lazy<BlockingWaitListener> _listener;

    /// <summary>Creates the panel (once per app). The event listener starts with the first tracked request.</summary>
    public ThreadsPanel()
    {
        _listener = new(() => new BlockingWaitListener { FindState = () => RequestRecord.Current?.FindState<ThreadsState>() });
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

    internal BlockingWaitListener Listener => _listener.Value;

    /// <inheritdoc />
    public override void OnRequestStarted(PanelContext context)
    {
        var state = context.GetState<ThreadsState>();
        state.ThreadsStart = ThreadPool.ThreadCount;
        state.QueueStart = ThreadPool.PendingWorkItemCount;
        state.Probe = QueueDelayProbe.Start();
        _listener.Value.Acquire();
        state.Listening = true;
    }

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var state = context.Record.FindState<ThreadsState>();
        if (state is null)
        {
            return;
        }

        if (state.Listening)
        {
            state.Listening = false;
            _listener.Value.Release();
        }

        var (delayMs, probeRan) = state.Probe?.Stop() ?? (0, false);
        var figures = new ThreadPoolFigures
        {
            ThreadsStart = state.ThreadsStart,
            ThreadsEnd = ThreadPool.ThreadCount,
            QueueStart = state.QueueStart,
            QueueEnd = ThreadPool.PendingWorkItemCount,
            QueueDelayMs = Math.Round(delayMs, 3),
            QueueProbeStarted = probeRan,
        };
        figures.Injections = Math.Max(0, figures.ThreadsEnd - figures.ThreadsStart);
        var (waits, dropped) = state.Take();
        var start = context.Record.StartTimestamp;
        if (waits.Length == 0)
        {
            context.SetData(Build(figures, waits, dropped, start));
            return;
        }

        context.Record.AddEstimatedBytes(waits.Length * 1024L);
        context.SetLazyData(() => Build(figures, waits, dropped, start));
    }

    /// <inheritdoc />
    protected override string? GetNavSubtitle(ThreadsData data) => data.BlockingWaits.Count switch
    {
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
        if (_listener.IsValueCreated)
        {
            _listener.Value.Dispose();
        }
    }

    internal static ThreadsData Build(ThreadPoolFigures figures, RawWait[] waits, int dropped, long requestStart)
    {
        var data = new ThreadsData { ThreadPool = figures, ThresholdMs = BlockingWaitListener.ThresholdMs, DroppedWaits = dropped };
        foreach (var wait in waits)
        {
            var (kind, frames) = WaitStack.Describe(wait.Stack);
            var duration = Stopwatch.GetElapsedTime(wait.StartTimestamp, wait.EndTimestamp).TotalMilliseconds;
            data.BlockingWaits.Add(new BlockingWait
            {
                Kind = kind,
                DurationMs = Math.Round(duration, 3),
                StartMs = Math.Round(Stopwatch.GetElapsedTime(requestStart, wait.StartTimestamp).TotalMilliseconds, 3),
                ThreadPoolThread = wait.ThreadPoolThread,
                Stack = frames,
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
