namespace Toolbar.Panels.Memory;

/// <summary>
/// Counts the bytes one request allocates, exactly, across awaits and thread hops.
/// </summary>
/// <remarks>
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> alone is only right for synchronous code: after an
/// await the request continues on another thread whose counter also holds other requests' work. Here an
/// <see cref="AsyncLocal{T}"/> with a change handler notices every time a thread enters or leaves the
/// request's execution context, and adds that thread's counter delta for the time it ran the request.
/// Requests that are not tracked never set the local, so the handler never runs for them.
/// </remarks>
internal sealed class AllocationTracker
{
    private static readonly AsyncLocal<AllocationTracker?> s_current = new(OnContextChanged);

    [ThreadStatic]
    private static long t_enteredAt;

    private long _bytes;
    private int _hops;
    private volatile bool _stopped;

    /// <summary>Bytes allocated so far on the request's execution context, on every thread it ran on.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>How many times a thread entered the request's execution context (thread hops, resumptions).</summary>
    public int Hops => Volatile.Read(ref _hops);

    /// <summary>Starts counting on the calling execution context (and every context that flows from it).</summary>
    public static AllocationTracker Start()
    {
        var tracker = new AllocationTracker();
        s_current.Value = tracker;
        return tracker;
    }

    /// <summary>
    /// Stops counting: adds the current thread's part and leaves the execution context. Must run on the
    /// request's execution context (a panel hook does).
    /// </summary>
    public long Stop()
    {
        if (ReferenceEquals(s_current.Value, this))
        {
            // Leaving the context runs the handler, which adds this thread's delta since it entered.
            s_current.Value = null;
        }

        _stopped = true;
        return Bytes;
    }

    private static void OnContextChanged(AsyncLocalValueChangedArgs<AllocationTracker?> args)
    {
        // Runs on every execution-context switch of a thread into or out of a tracked request: keep it tiny.
        var previous = args.PreviousValue;
        var current = args.CurrentValue;
        if (ReferenceEquals(previous, current))
        {
            return;
        }

        var now = GC.GetAllocatedBytesForCurrentThread();
        if (previous is not null && !previous._stopped)
        {
            Interlocked.Add(ref previous._bytes, now - t_enteredAt);
        }

        if (current is not null)
        {
            t_enteredAt = now;
            if (!current._stopped)
            {
                Interlocked.Increment(ref current._hops);
            }
        }
    }
}
