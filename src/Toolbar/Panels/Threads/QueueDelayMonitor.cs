using System.Diagnostics;

namespace Toolbar.Panels.Threads;

/// <summary>
/// Measures how long new work waits for a thread-pool thread while tracked requests run: one work item at a time,
/// queued when the first request starts and then <see cref="PeriodMs"/> ms after the previous one ran, notes how long
/// it waited. One monitor for the process (the pool is the process's), shared by every request running at once: a
/// request reads the waits that overlapped it, instead of paying for a work item and a timer of its own. A starved pool
/// shows as an item that waited long, or one still waiting (or a timer tick that could not even start) when a request ends.
/// </summary>
internal static class QueueDelayMonitor
{
    public const int PeriodMs = 20;

    // Timer callbacks may start a little late on a busy machine without the pool being short of threads.
    private const int TimerSlackMs = 20;

    // The last waits measured (20 s of them at one per period): a request reads those since it started.
    private const int Size = 1024;

    private static readonly long[] s_queuedAt = new long[Size];
    private static readonly long[] s_ranAt = new long[Size];
    private static readonly Lock s_lock = new();
    private static readonly Timer s_timer;
    private static readonly Item s_item = new();
    private static long s_measured;
    private static int s_active;
    private static long s_pendingSince;
    private static long s_tickDue;

    static QueueDelayMonitor()
    {
        // No execution context: the monitor must not run as part of a request (nor count as its work). Suppressing
        // flow where it already is would throw.
        using (ExecutionContext.IsFlowSuppressed() ? null : (IDisposable)ExecutionContext.SuppressFlow())
        {
            s_timer = new Timer(static _ => OnTick(), null, Timeout.Infinite, Timeout.Infinite);
        }
    }

    /// <summary>A tracked request starts: returns where its measurements begin (pass it to <see cref="Exit"/>).</summary>
    public static long Enter()
    {
        if (Interlocked.Increment(ref s_active) == 1)
        {
            lock (s_lock)
            {
                // Nothing measured while no request ran: start now rather than at the next tick.
                if (s_pendingSince == 0 && s_tickDue == 0)
                {
                    Queue();
                }
            }
        }

        return Volatile.Read(ref s_measured);
    }

    /// <summary>
    /// The request that entered at <paramref name="mark"/> (timestamp <paramref name="start"/>) ends: the longest queue wait
    /// that overlapped it (counting work still waiting now), and whether any measuring item ran during it.
    /// </summary>
    public static (double MaxDelayMs, bool Ran) Exit(long mark, long start)
    {
        Interlocked.Decrement(ref s_active);
        var now = Stopwatch.GetTimestamp();
        long max = 0;
        var ran = false;
        lock (s_lock)
        {
            for (var n = Math.Max(mark, s_measured - Size); n < s_measured; n++)
            {
                var i = (int)(n % Size);
                if (s_ranAt[i] >= start)
                {
                    // Counted from the request's start: an item queued long before waited mostly for other requests.
                    ran = true;
                    max = Math.Max(max, s_ranAt[i] - Math.Max(s_queuedAt[i], start));
                }
            }

            if (s_pendingSince != 0)
            {
                // Queued and not started: it has been waiting for a thread until now (counted from the request's start).
                max = Math.Max(max, now - Math.Max(s_pendingSince, start));
            }
            else if (s_tickDue != 0)
            {
                // A tick long overdue is a timer callback that is itself waiting for a thread.
                var overdue = now - Math.Max(s_tickDue, start) - (TimerSlackMs * Stopwatch.Frequency / 1000);
                max = Math.Max(max, overdue);
            }
        }

        return (max * 1000.0 / Stopwatch.Frequency, ran);
    }

    // Under the lock.
    private static void Queue()
    {
        s_pendingSince = Stopwatch.GetTimestamp();
        ThreadPool.UnsafeQueueUserWorkItem(s_item, preferLocal: false);
    }

    private static void OnTick()
    {
        lock (s_lock)
        {
            s_tickDue = 0;
            if (Volatile.Read(ref s_active) > 0 && s_pendingSince == 0)
            {
                Queue();
            }
        }
    }

    private sealed class Item : IThreadPoolWorkItem
    {
        public void Execute()
        {
            lock (s_lock)
            {
                var now = Stopwatch.GetTimestamp();
                var i = (int)(s_measured % Size);
                s_queuedAt[i] = s_pendingSince;
                s_ranAt[i] = now;
                s_measured++;
                s_pendingSince = 0;
                if (Volatile.Read(ref s_active) > 0)
                {
                    s_tickDue = now + (PeriodMs * Stopwatch.Frequency / 1000);
                    s_timer.Change(PeriodMs, Timeout.Infinite);
                }
            }
        }
    }
}
