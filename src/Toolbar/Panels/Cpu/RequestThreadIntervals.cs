using System.Diagnostics;

namespace Toolbar.Panels.Cpu;

/// <summary>
/// Which OS thread ran the profiled request when: one (thread, start, end) interval per stretch a thread spent in the
/// request's execution context, on the <see cref="Stopwatch"/> clock (the clock EventPipe stamps samples with). A
/// sample belongs to the request exactly when its thread and time fall inside one of them, so work of concurrent
/// requests, timers and the profiler itself never mixes in.
/// </summary>
internal sealed class RequestThreadIntervals : IExecutionContextObserver
{
    [ThreadStatic]
    private static long t_enteredAt;

    // Whose interval t_enteredAt opens: a thread that entered before this observer was registered has none of ours.
    [ThreadStatic]
    private static RequestThreadIntervals? t_owner;

    private readonly Lock _lock = new();
    private readonly List<ThreadInterval> _intervals = [];
    private volatile bool _stopped;

    /// <summary>Registers on the record and opens the calling thread's interval (it runs the request's execution context).</summary>
    public static RequestThreadIntervals Start(RequestRecord record)
    {
        var intervals = new RequestThreadIntervals();
        intervals.OnEntered();
        record.AddExecutionContextObserver(intervals);
        return intervals;
    }

    /// <summary>Closes the calling thread's interval and takes no more; returns every interval by thread and start.</summary>
    public IReadOnlyList<ThreadInterval> Stop()
    {
        OnLeft();
        _stopped = true;
        lock (_lock)
        {
            _intervals.Sort(static (a, b) => a.ThreadId != b.ThreadId ? a.ThreadId.CompareTo(b.ThreadId) : a.Start.CompareTo(b.Start));
            return _intervals.ToArray();
        }
    }

    public void OnEntered()
    {
        if (_stopped)
        {
            return;
        }

        t_enteredAt = Stopwatch.GetTimestamp();
        t_owner = this;
    }

    public void OnLeft()
    {
        if (!ReferenceEquals(t_owner, this))
        {
            return;
        }

        t_owner = null;
        if (_stopped)
        {
            return;
        }

        var interval = new ThreadInterval(NativeThread.CurrentId, t_enteredAt, Stopwatch.GetTimestamp());
        lock (_lock)
        {
            _intervals.Add(interval);
        }
    }

    /// <summary>Whether the sample of <paramref name="threadId"/> taken at <paramref name="timestamp"/> is the request's.</summary>
    public static bool Contains(IReadOnlyList<ThreadInterval> sorted, ulong threadId, long timestamp)
    {
        // Binary search for the last interval starting at or before (thread, timestamp).
        int lo = 0, hi = sorted.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var m = sorted[mid];
            if (m.ThreadId < threadId || (m.ThreadId == threadId && m.Start <= timestamp))
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 && sorted[found].ThreadId == threadId && timestamp <= sorted[found].End;
    }
}
