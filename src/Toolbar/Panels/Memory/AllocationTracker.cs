namespace Toolbar.Panels.Memory;

/// <summary>
/// Counts the bytes one request allocates, exactly, across awaits and thread hops.
/// </summary>
/// <remarks>
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> alone is only right for synchronous code: after an
/// await the request continues on another thread whose counter also holds other requests' work. The
/// ambient record's <see cref="AsyncLocal{T}"/> tells this tracker every time a thread enters or leaves the
/// request's execution context, and it adds that thread's counter delta for the time it ran the request.
/// It rides on the record's own async local rather than adding one: every async local in a context makes
/// each <c>AsyncLocal</c> write of the app (EF Core writes one per row it reads) copy a bigger map.
/// </remarks>
internal sealed class AllocationTracker : IExecutionContextObserver
{
    [ThreadStatic]
    private static long t_enteredAt;

    // Which tracker t_enteredAt belongs to: a thread that entered the request before the tracker was attached
    // (work started by an earlier panel hook) has no start figure of ours and must not be counted on leaving.
    [ThreadStatic]
    private static AllocationTracker? t_owner;

    private long _bytes;
    private int _hops;
    private volatile bool _stopped;

    /// <summary>Bytes allocated so far on the request's execution context, on every thread it ran on.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>How many times a thread entered the request's execution context (thread hops, resumptions).</summary>
    public int Hops => Volatile.Read(ref _hops);

    /// <summary>Starts counting on the calling thread, which must be running the record's execution context (a panel hook is).</summary>
    public static AllocationTracker Start(RequestRecord record)
    {
        var tracker = new AllocationTracker();
        tracker.OnEntered();
        record.AddExecutionContextObserver(tracker);
        return tracker;
    }

    /// <summary>
    /// Stops counting: adds the current thread's part since it entered. Must run on the request's execution
    /// context (a panel hook does).
    /// </summary>
    public long Stop()
    {
        if (!_stopped)
        {
            OnLeft();
            _stopped = true;
        }

        return Bytes;
    }

    // Both run on every execution-context switch of a thread into or out of a tracked request: keep them tiny.
    public void OnLeft()
    {
        if (ReferenceEquals(t_owner, this))
        {
            t_owner = null;
            if (!_stopped)
            {
                Interlocked.Add(ref _bytes, GC.GetAllocatedBytesForCurrentThread() - t_enteredAt);
            }
        }
    }

    public void OnEntered()
    {
        t_enteredAt = GC.GetAllocatedBytesForCurrentThread();
        t_owner = this;
        if (!_stopped)
        {
            Interlocked.Increment(ref _hops);
        }
    }
}
