using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Tpl;

namespace Toolbar.Panels.Threads;

/// <summary>
/// The task library's wait begin and end, in a session of their own without stacks. The runtime's blocking wait inside a
/// task wait starts only after the task wait has spun a while (tens of ms on a busy machine), so these time a
/// <c>.Result</c> from the call; but while they are on, every <c>await</c> of the process writes task events (the cost
/// measured in bench/RESULTS.md), so the listener turns them on only when asked (<see cref="ThreadsPanelOptions.TaskWaits"/>)
/// or once a tracked request was seen blocking on a task. Written by the runtime into the session's buffers, not handed
/// to an in-process listener: nothing is allocated on the app's threads for them but the task library's own work.
/// </summary>
internal sealed class TaskWaitSession : IDisposable
{
    private static readonly long s_thresholdTicks = (long)(ThreadsPanel.ThresholdMs * Stopwatch.Frequency / 1000);

    // The task library's TaskWaitBegin and TaskWaitEnd (TraceEvent's TaskWaitSend and TaskWaitStop).
    private const uint TaskWaitBeginId = 10;
    private const uint TaskWaitEndId = 11;

    private readonly EventPipeSession _session;
    private EventPipeEventSource _source;
    private readonly Thread _reader;
    private readonly StreamProgress _progress = new(WaitMarkerSource.Log.Guid, recordKinds: true);
    private readonly Dictionary<int, (int TaskId, long Start)> _openTasks = [];
    private int _stopped;

    private TaskWaitSession()
    {
        var client = new DiagnosticsClient(Environment.ProcessId);
        var marker = new EventPipeProvider(WaitMarkerSource.ProviderName, EventLevel.Informational);
        const long tasks = (long)TplEtwProviderTraceEventParser.Keywords.Tasks;
        _session = FilteredSession.Start(
            client,
            [marker, new EventPipeProvider(TplEtwProviderTraceEventParser.ProviderName, EventLevel.Verbose, tasks, null, FilteredSession.Only(TaskWaitBeginId, TaskWaitEndId))],
            [marker, new EventPipeProvider(TplEtwProviderTraceEventParser.ProviderName, EventLevel.Verbose, tasks)],
            circularBufferSizeMB: 16);
        try
        {
            _source = new EventPipeEventSource(_session.EventStream);
            var tpl = new TplEtwProviderTraceEventParser(_source);
            tpl.TaskWaitSend += OnTaskWaitBegin;
            tpl.TaskWaitStop += OnTaskWaitEnd;
            _source.AllEvents += e => _progress.Saw(e);
            _reader = new Thread(() => StreamProgress.Read(_source)) { IsBackground = true, Name = "Toolbar threads task wait reader" };
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        _reader.Start();
    }

    /// <summary>Opens the session (no rundown: quick).</summary>
    public static TaskWaitSession Start() => new();

    /// <summary>The ids of the events read so far from <paramref name="provider"/> (tests).</summary>
    public int[] EventIdsOf(Guid provider) => _progress.EventIdsOf(provider);

    /// <summary>Waits until the stream was read up to <paramref name="timestamp"/>; see <see cref="WaitSession.WaitUntilRead"/>.</summary>
    public bool WaitUntilRead(long timestamp, TimeSpan timeout) => _progress.WaitUntilRead(timestamp, timeout, () => _reader.IsAlive);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        StreamProgress.Stop(_session);
        _reader.Join(TimeSpan.FromSeconds(5));
        _source.Dispose();
        _session.Dispose();
        _source = null!;
        _openTasks.Clear();
    }

    private void OnTaskWaitBegin(TaskWaitSendArgs e)
    {
        // Only waits that block the thread (not an await's continuation); the outermost one of a thread.
        if (e.Behavior == TaskWaitBehavior.Synchronous && !_openTasks.ContainsKey(e.ThreadID))
        {
            _openTasks[e.ThreadID] = (e.TaskID, StreamProgress.TimestampOf(e));
        }
    }

    private void OnTaskWaitEnd(TaskWaitStopArgs e)
    {
        if (!_openTasks.TryGetValue(e.ThreadID, out var open) || open.TaskId != e.TaskID)
        {
            return;
        }

        _openTasks.Remove(e.ThreadID);
        var end = StreamProgress.TimestampOf(e);
        if (end - open.Start >= s_thresholdTicks
            && RequestThreadLog.Find((ulong)e.ThreadID, open.Start, out var pool) is { } owner && ReferenceEquals(owner.TaskWaits, this))
        {
            owner.AddTaskWait(new TaskWaitSpan((ulong)e.ThreadID, open.Start, end, pool));
        }
    }
}
