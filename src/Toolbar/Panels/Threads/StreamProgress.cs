using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Toolbar.Panels.Threads;

/// <summary>
/// How far a session's reader has read its stream (events come in timestamp order), so that a request's data waits
/// until every event up to the request's end has been read; the marker written when a request's data is first read makes sure one comes.
/// </summary>
/// <remarks>
/// Readers of a record wait with <c>Monitor.Wait</c>, not <c>Task.Wait</c>: a blocked <c>Task.Wait</c> on a pool thread
/// makes the pool change its thread goal (a "CooperativeBlocking" adjustment), which the pool session reads and would
/// show in the threads panel of every app request running at the time.
/// </remarks>
internal sealed class StreamProgress(Guid markerGuid, bool recordKinds = false)
{
    private readonly object _lock = new();
    private long _readUpTo;

    // Which events the session brought, by provider and id (tests: the filtered sessions ask for only the events they
    // read, so these are a handful). Not kept for the wait session, whose stream is the busiest.
    private readonly HashSet<(Guid Provider, int Id)>? _kinds = recordKinds ? [] : null;

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
        lock (_lock)
        {
            _kinds?.Add((e.ProviderGuid, (int)e.ID));
            if (timestamp > _readUpTo)
            {
                _readUpTo = timestamp;
                if (e.ProviderGuid == markerGuid)
                {
                    Monitor.PulseAll(_lock);
                }
            }
        }
    }

    /// <summary>The ids of the events read so far from <paramref name="provider"/> (tests; empty unless kinds are recorded).</summary>
    public int[] EventIdsOf(Guid provider)
    {
        lock (_lock)
        {
            return _kinds is null ? [] : [.. _kinds.Where(k => k.Provider == provider).Select(k => k.Id).Order()];
        }
    }

    /// <summary>Waits until the stream was read up to <paramref name="timestamp"/>, the reader stopped, or the timeout passed.</summary>
    public bool WaitUntilRead(long timestamp, TimeSpan timeout, Func<bool> reading)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        lock (_lock)
        {
            while (_readUpTo < timestamp)
            {
                var left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0 || !reading())
                {
                    return false;
                }

                Monitor.Wait(_lock, TimeSpan.FromSeconds(Math.Min(0.05, (double)left / Stopwatch.Frequency)));
            }

            return true;
        }
    }
}
