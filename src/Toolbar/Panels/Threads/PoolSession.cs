using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Toolbar.Panels.Threads;

/// <summary>
/// The light session next to <see cref="WaitSession"/>, without stacks: the pool's worker threads starting and stopping
/// and why it changed its goal (rare events). Written by the runtime into the session's buffers, not handed to an
/// in-process listener: nothing is allocated on the app's threads.
/// </summary>
internal sealed class PoolSession : IDisposable
{
    // ThreadPoolWorkerThreadStart, ThreadPoolWorkerThreadStop and ThreadPoolWorkerThreadAdjustmentAdjustment.
    private const uint WorkerThreadStartId = 50;
    private const uint WorkerThreadStopId = 51;
    private const uint AdjustmentId = 55;

    private readonly EventPipeSession _session;
    private EventPipeEventSource _source;
    private readonly Thread _reader;
    private readonly StreamProgress _progress = new(WaitMarkerSource.Log.Guid, recordKinds: true);
    private readonly Queue<PoolEvent> _poolEvents = new();
    private int _stopped;

    private PoolSession()
    {
        var client = new DiagnosticsClient(Environment.ProcessId);
        var marker = new EventPipeProvider(WaitMarkerSource.ProviderName, EventLevel.Informational);
        const long threading = (long)ClrTraceEventParser.Keywords.Threading;
        // Informational: the per-work-item events of the keyword are Verbose. Of the rest, only the three read below.
        _session = FilteredSession.Start(
            client,
            [marker, new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Informational, threading, null, FilteredSession.Only(WorkerThreadStartId, WorkerThreadStopId, AdjustmentId))],
            [marker, new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Informational, threading)],
            circularBufferSizeMB: 4);
        try
        {
            _source = new EventPipeEventSource(_session.EventStream);
            _source.AllEvents += e => _progress.Saw(e);
            _source.Clr.ThreadPoolWorkerThreadStart += e => AddPoolEvent(new PoolEvent(StreamProgress.TimestampOf(e), PoolEventKind.ThreadStarted, null));
            _source.Clr.ThreadPoolWorkerThreadStop += e => AddPoolEvent(new PoolEvent(StreamProgress.TimestampOf(e), PoolEventKind.ThreadStopped, null));
            _source.Clr.ThreadPoolWorkerThreadAdjustmentAdjustment += e => AddPoolEvent(new PoolEvent(StreamProgress.TimestampOf(e), PoolEventKind.Adjustment, e.Reason.ToString()));
            _reader = new Thread(() => StreamProgress.Read(_source)) { IsBackground = true, Name = "Toolbar threads pool reader" };
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        StartedAt = Stopwatch.GetTimestamp();
        _reader.Start();
    }

    /// <summary>Opens the session (no rundown: quick).</summary>
    public static PoolSession Start() => new();

    /// <summary>When the session listened from (the pool's events before it are not known).</summary>
    public long StartedAt { get; }

    /// <summary>When the session was stopped (0 while it runs): the pool's events after it are not known.</summary>
    public long StoppedAt { get; private set; }

    /// <summary>Whether the session listened for the whole of <paramref name="from"/> to <paramref name="to"/>.</summary>
    public bool Covered(long from, long to) => StartedAt <= from && (StoppedAt == 0 ? _reader.IsAlive : StoppedAt >= to);

    /// <summary>Whether the reader still runs (a failed stream, or a stopped session, ends it).</summary>
    public bool Reading => _reader.IsAlive && Volatile.Read(ref _stopped) == 0;

    /// <summary>The ids of the events read so far from <paramref name="provider"/> (tests).</summary>
    public int[] EventIdsOf(Guid provider) => _progress.EventIdsOf(provider);

    /// <summary>Waits until the stream was read up to <paramref name="timestamp"/>; see <see cref="WaitSession.WaitUntilRead"/>.</summary>
    public bool WaitUntilRead(long timestamp, TimeSpan timeout) => _progress.WaitUntilRead(timestamp, timeout, () => _reader.IsAlive);

    /// <summary>
    /// What the pool did between two timestamps (process-wide: the pool is shared): worker threads started and stopped,
    /// and the reasons it gave for changing its goal, in order, once each.
    /// </summary>
    public (int Started, int Stopped, List<string> Reasons) PoolActivity(long from, long to)
    {
        lock (_poolEvents)
        {
            var started = 0;
            var stopped = 0;
            var reasons = new List<string>();
            foreach (var pool in _poolEvents)
            {
                if (pool.Timestamp < from || pool.Timestamp > to)
                {
                    continue;
                }

                switch (pool.Kind)
                {
                    case PoolEventKind.ThreadStarted:
                        started++;
                        break;
                    case PoolEventKind.ThreadStopped:
                        stopped++;
                        break;
                    case PoolEventKind.Adjustment when pool.Reason is { } reason && !reasons.Contains(reason):
                        reasons.Add(reason);
                        break;
                }
            }

            return (started, stopped, reasons);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        StoppedAt = Stopwatch.GetTimestamp();
        StreamProgress.Stop(_session);
        _reader.Join(TimeSpan.FromSeconds(5));
        _source.Dispose();
        _session.Dispose();
        _source = null!;
    }

    private void AddPoolEvent(PoolEvent pool)
    {
        lock (_poolEvents)
        {
            // The last few thousand are plenty for the requests whose data is still to be built.
            if (_poolEvents.Count == 4096)
            {
                _poolEvents.Dequeue();
            }

            _poolEvents.Enqueue(pool);
        }
    }
}
