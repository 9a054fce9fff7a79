using System.Diagnostics;

namespace Toolbar.Panels.Threads;

/// <summary>
/// Measures how long new work waits for a thread-pool thread while one request runs: a work item queued when the
/// request starts, and again every <see cref="PeriodMs"/> ms from a timer, notes how long it waited in the queue.
/// A starved pool shows as an item that waited long, or one still waiting (or a timer tick that could not even
/// start) when the request ends.
/// </summary>
internal sealed class QueueDelayProbe : IThreadPoolWorkItem
{
    public const int PeriodMs = 20;

    // Timer callbacks may start a little late on a busy machine without the pool being short of threads.
    private const int TimerSlackMs = 20;

    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private long _queuedAt;
    private bool _queued;
    private long _tickDue;
    private bool _tickArmed;
    private long _maxDelayTicks;
    private bool _ran;
    private bool _stopped;

    private QueueDelayProbe()
    {
        // No execution context: the probe must not run as part of the request (nor count as its work).
        using (ExecutionContext.SuppressFlow())
        {
            _timer = new Timer(static s => ((QueueDelayProbe)s!).OnTick(), this, Timeout.Infinite, Timeout.Infinite);
        }
    }

    public static QueueDelayProbe Start()
    {
        var probe = new QueueDelayProbe();
        lock (probe._lock)
        {
            probe.Queue();
        }

        return probe;
    }

    // Always under the lock.
    private void Queue()
    {
        _queuedAt = Stopwatch.GetTimestamp();
        _queued = true;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute()
    {
        lock (_lock)
        {
            _queued = false;
            _ran = true;
            _maxDelayTicks = Math.Max(_maxDelayTicks, Stopwatch.GetTimestamp() - _queuedAt);
            if (!_stopped)
            {
                _tickDue = Stopwatch.GetTimestamp() + (PeriodMs * Stopwatch.Frequency / 1000);
                _tickArmed = true;
                _timer.Change(PeriodMs, Timeout.Infinite);
            }
        }
    }

    private void OnTick()
    {
        lock (_lock)
        {
            _tickArmed = false;
            if (!_stopped)
            {
                Queue();
            }
        }
    }

    /// <summary>Stops the probe; returns the longest queue delay seen (counting work still waiting now) and whether any item ran.</summary>
    public (double MaxDelayMs, bool Ran) Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _timer.Dispose();
            var now = Stopwatch.GetTimestamp();
            var max = _maxDelayTicks;
            if (_queued)
            {
                // Queued and not started: it has been waiting for a thread until now.
                max = Math.Max(max, now - _queuedAt);
            }
            else if (_tickArmed)
            {
                // A tick long overdue is a timer callback that is itself waiting for a thread.
                var overdue = now - _tickDue - (TimerSlackMs * Stopwatch.Frequency / 1000);
                max = Math.Max(max, overdue);
            }

            return (max * 1000.0 / Stopwatch.Frequency, _ran);
        }
    }
}
