using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Toolbar.Panels.Threads;

/// <summary>
/// How far a session's reader has read its stream (events come in timestamp order), so that a request's data waits
/// until every event up to the request's end has been read; the marker written when a request's data is first read makes sure one comes.
/// </summary>
internal sealed class StreamProgress
{
    private readonly Lock _lock = new();
    private long _readUpTo;

    // Completed (and replaced) when the stream moves on while somebody waits. Readers of a record block on it with
    // Task.Wait, not Monitor.Wait: a blocked Task.Wait tells the thread pool, which then adds a thread at once instead
    // of after its starvation delay, so a toolbar read (on a pool thread) never holds back the app's own work items.
    private TaskCompletionSource _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;

    // Which events the session brought, by provider and id (a handful: the sessions ask for only the events they read).
    private readonly HashSet<(Guid Provider, int Id)> _kinds = [];

#pragma warning disable CS0618 // The raw QPC timestamp on purpose: EventPipe stamps events with the clock Stopwatch reads.
    public static long TimestampOf(TraceEvent e) => e.TimeStampQPC;
#pragma warning restore CS0618

    /// <summary>Reads a session's stream to its end, on the reader's own thread.</summary>
    public static void Read(TraceEventDispatcher source)
    {
        try
        {
            source.Process();
        }
        catch (Exception)
        {
            // The stream broke (the process is shutting down, the session was stopped): no more events are read.
        }
    }

    /// <summary>Stops a session; one already gone is fine (its reader ends with its stream either way).</summary>
    public static void Stop(EventPipeSession session)
    {
        try
        {
            session.Stop();
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or IOException or TimeoutException or InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Any event tells how far the stream has been read.</summary>
    public void Saw(TraceEvent e)
    {
        var timestamp = TimestampOf(e);
        TaskCompletionSource? moved = null;
        lock (_lock)
        {
            _kinds.Add((e.ProviderGuid, (int)e.ID));
            if (timestamp > _readUpTo)
            {
                _readUpTo = timestamp;
                if (_waiting > 0)
                {
                    moved = _moved;
                    _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }

        moved?.TrySetResult();
    }

    /// <summary>The ids of the events read so far from <paramref name="provider"/> (tests: what the session asked the runtime for).</summary>
    public int[] EventIdsOf(Guid provider)
    {
        lock (_lock)
        {
            return [.. _kinds.Where(k => k.Provider == provider).Select(k => k.Id).Order()];
        }
    }

    /// <summary>Waits until the stream was read up to <paramref name="timestamp"/>, the reader stopped, or the timeout passed.</summary>
    public bool WaitUntilRead(long timestamp, TimeSpan timeout, Func<bool> reading)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            Task moved;
            lock (_lock)
            {
                if (_readUpTo >= timestamp)
                {
                    return true;
                }

                moved = _moved.Task;
                _waiting++;
            }

            try
            {
                var left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0 || !reading())
                {
                    return false;
                }

                // Woken by every event read while waiting; a reader that stops is noticed within a quarter of a second.
                moved.Wait(TimeSpan.FromSeconds(Math.Min(0.25, (double)left / Stopwatch.Frequency)));
            }
            finally
            {
                lock (_lock)
                {
                    _waiting--;
                }
            }
        }
    }
}
