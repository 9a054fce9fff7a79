using System.Diagnostics;

namespace Toolbar.Panels.Threads;

/// <summary>
/// Measures how long new work waits for a thread-pool thread while one request runs: a timer whose callback
/// (which the timer thread hands to the thread pool) is due at once and then every <see cref="PeriodMs"/> ms; how
/// late each callback starts is the queue delay at that moment. A starved pool shows as late callbacks, or as
/// one that is still waiting when the request ends.
/// </summary>
internal sealed class QueueDelayProbe
{
    public const int PeriodMs = 20;

    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private long _dueTimestamp;
    private long _maxDelayTicks;
    private bool _ran;
    private bool _stopped;

    private QueueDelayProbe()
    {
        _dueTimestamp = Stopwatch.GetTimestamp();
        // No execution context: the callback must not run as part of the request (or count as its work).
        using (ExecutionContext.SuppressFlow())
        {
            _timer = new Timer(static s => ((QueueDelayProbe)s!).OnTick(), this, 0, Timeout.Infinite);
        }
    }

    public static QueueDelayProbe Start() => new();

    private void OnTick()
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            _maxDelayTicks = Math.Max(_maxDelayTicks, now - _dueTimestamp);
            _ran = true;
            _dueTimestamp = now + (PeriodMs * Stopwatch.Frequency / 1000);
            _timer.Change(PeriodMs, Timeout.Infinite);
        }
    }

    /// <summary>Stops the probe; returns the longest delay seen (counting a callback still waiting now) and whether any callback ran.</summary>
    public (double MaxDelayMs, bool Ran) Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _timer.Dispose();
            var now = Stopwatch.GetTimestamp();
            // A callback that is due but has not started is waiting for a thread right now.
            var pending = Math.Max(0, now - _dueTimestamp);
            var max = Math.Max(_maxDelayTicks, pending);
            return (max * 1000.0 / Stopwatch.Frequency, _ran);
        }
    }
}
