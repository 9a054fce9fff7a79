using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Reflection;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.EventPipe;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
using Microsoft.Diagnostics.Tracing.Parsers.Tpl;

namespace Toolbar.Panels.Threads;

/// <summary>
/// Reads the runtime's own reports of blocked threads, with the stack of each, from an EventPipe session on this process:
/// <c>Contention/Start</c>–<c>Stop</c> (a <c>lock</c> held by another thread) and <c>WaitHandleWait/Start</c>–<c>Stop</c>
/// (a wait handle, <c>Monitor.Wait</c> and what builds on it: <c>SemaphoreSlim</c>, <c>ManualResetEventSlim</c>, a task's
/// <c>.Result</c>/<c>.Wait()</c>/<c>GetResult()</c>). The runtime raises them from native code: an in-process
/// <see cref="EventListener"/> would get them late, on a dispatcher thread of its own, without a stack. So each wait
/// goes to the request its thread was running when it began (<see cref="RequestThreadLog"/>), and the stack the runtime
/// walked on the blocked thread names the app's frames. Nothing runs on the app's threads but the runtime's event write.
/// </summary>
internal sealed class WaitSession : IDisposable
{
    /// <summary>Contention | WaitHandle, and Jit | Loader | JittedMethodILToNativeMap to name the code at each address.</summary>
    private const long RuntimeKeywords = (long)(ClrTraceEventParser.Keywords.Contention | ClrTraceEventParser.Keywords.WaitHandle
        | ClrTraceEventParser.Keywords.Jit | ClrTraceEventParser.Keywords.Loader | ClrTraceEventParser.Keywords.JittedMethodILToNativeMap);

    private static readonly long s_thresholdTicks = (long)(ThreadsPanel.ThresholdMs * Stopwatch.Frequency / 1000);

    private readonly AppCode _appCode;
    private readonly DiagnosticsClient _client;
    private readonly EventPipeSession _session;
    private TraceLogEventSource _source;
    private readonly Thread _reader;
    private readonly EventPipeSession _taskSession;
    private EventPipeEventSource _taskSource;
    private readonly Thread _taskReader;
    private readonly Dictionary<int, (int TaskId, long Start)> _openTasks = [];
    private long _taskReadUpTo;
    private readonly Queue<PoolEvent> _poolEvents = new();
    private readonly Guid _markerGuid = WaitMarkerSource.Log.Guid;
    private readonly Dictionary<int, OpenWait> _open = [];
    private readonly Dictionary<string, Assembly?> _assemblies = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _progress = new();
    private long _readUpTo;
    private int _stopped;

    private WaitSession(AppCode appCode)
    {
        _appCode = appCode;
        _client = new DiagnosticsClient(Environment.ProcessId);
        var providers = new[]
        {
            new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, RuntimeKeywords),
            new EventPipeProvider("Toolbar-Threads-Marker", EventLevel.Informational),
        };
        _session = _client.StartEventPipeSession(providers, requestRundown: false, circularBufferMB: 16);
        try
        {
            // A rundown up front names every method compiled before the session; JIT events name the ones after.
            _source = TraceLog.CreateFromEventPipeSession(_session, TraceLog.EventPipeRundownConfiguration.Enable(_client));
            _source.Clr.ContentionStart += e => OnStart(e, isLock: true, waitSource: -1);
            _source.Clr.ContentionStop += OnStop;
            _source.Clr.WaitHandleWaitStart += e => OnStart(e, isLock: false, waitSource: (int)e.WaitSource);
            _source.Clr.WaitHandleWaitStop += OnStop;
            _source.AllEvents += OnAny;
            _reader = new Thread(() => Read(_source)) { IsBackground = true, Name = "Toolbar threads wait reader" };
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        // Task waits: the runtime's blocking wait starts only after the task wait has spun a while (tens of ms on a busy
        // machine), so the task library's own wait begin/end time them. A session of their own, without stacks: every
        // task event of the process goes to it while it runs, and a stack walk for each would cost. Written by the
        // runtime into the session's buffers, not handed to an in-process listener: nothing is allocated on the app's threads.
        try
        {
            _taskSession = StartTaskSession(_client);
            _taskSource = new EventPipeEventSource(_taskSession.EventStream);
            var tpl = new TplEtwProviderTraceEventParser(_taskSource);
            tpl.TaskWaitSend += OnTaskWaitBegin;
            tpl.TaskWaitStop += OnTaskWaitEnd;
            _taskSource.AllEvents += OnAnyTask;
            _taskSource.Clr.ThreadPoolWorkerThreadStart += e => AddPoolEvent(new PoolEvent(TimestampOf(e), PoolEventKind.ThreadStarted, null));
            _taskSource.Clr.ThreadPoolWorkerThreadStop += e => AddPoolEvent(new PoolEvent(TimestampOf(e), PoolEventKind.ThreadStopped, null));
            _taskSource.Clr.ThreadPoolWorkerThreadAdjustmentAdjustment += e => AddPoolEvent(new PoolEvent(TimestampOf(e), PoolEventKind.Adjustment, e.Reason.ToString()));
            _taskReader = new Thread(() => Read(_taskSource)) { IsBackground = true, Name = "Toolbar threads task wait reader" };
        }
        catch
        {
            _source.Dispose();
            _session.Dispose();
            throw;
        }

        _reader.Start();
        _taskReader.Start();
    }

    /// <summary>
    /// The task wait session. Only the task library's wait begin and end (events 10 and 11) are asked for: its keyword
    /// also brings every task's scheduling, start and continuation, which the reader would parse (and allocate for) by
    /// the dozen per request for nothing. A runtime that cannot filter events gets the whole keyword instead.
    /// </summary>
    private static EventPipeSession StartTaskSession(DiagnosticsClient client)
    {
        EventPipeSession Start(EventPipeProviderEventFilter? filter) => client.StartEventPipeSession(new EventPipeSessionConfiguration(
            [
                new EventPipeProvider(TplEtwProviderTraceEventParser.ProviderName, EventLevel.Verbose, (long)TplEtwProviderTraceEventParser.Keywords.Tasks, arguments: null, eventFilter: filter),
                new EventPipeProvider("Toolbar-Threads-Marker", EventLevel.Informational),
                // The pool's worker threads starting and stopping, and why it changed its goal (Informational: the
                // per-work-item events are Verbose).
                new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Informational, (long)ClrTraceEventParser.Keywords.Threading),
            ],
            circularBufferSizeMB: 16,
            requestRundown: false,
            requestStackwalk: false));

        try
        {
            return Start(new EventPipeProviderEventFilter(enable: true, eventIds: TaskWaitEventIds));
        }
        catch (Exception ex) when (ex is UnsupportedCommandException or ServerErrorException)
        {
            return Start(null);
        }
    }

    /// <summary>The task library's TaskWaitBegin (10) and TaskWaitEnd (11).</summary>
    internal static readonly uint[] TaskWaitEventIds = [10, 11];

    /// <summary>Opens the session (blocks while the runtime starts it and writes the rundown: a few hundred ms).</summary>
    public static WaitSession Start(AppCode appCode) => new(appCode);

    /// <summary>Whether the reader still runs (a failed stream ends it).</summary>
    public bool Reading => _reader.IsAlive && _taskReader.IsAlive;

    /// <summary>
    /// Waits until the reader has read the stream up to <paramref name="timestamp"/> (the marker written when a request ended
    /// is in it) or <paramref name="timeout"/> passed; returns whether it has.
    /// </summary>
    public bool WaitUntilRead(long timestamp, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        lock (_progress)
        {
            while (Math.Min(_readUpTo, _taskReadUpTo) < timestamp)
            {
                var left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0 || !Reading)
                {
                    return false;
                }

                Monitor.Wait(_progress, TimeSpan.FromSeconds(Math.Min(0.05, (double)left / Stopwatch.Frequency)));
            }

            return true;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        foreach (var session in new[] { _session, _taskSession })
        {
            try
            {
                session.Stop();
            }
            catch (Exception ex) when (ex is ServerNotAvailableException or IOException or TimeoutException or InvalidOperationException)
            {
                // Already gone: the reader ends with its stream either way.
            }
        }

        _reader.Join(TimeSpan.FromSeconds(5));
        _taskReader.Join(TimeSpan.FromSeconds(5));
        _source.Dispose();
        _taskSource.Dispose();
        _session.Dispose();
        _taskSession.Dispose();

        // Records of finished requests still point here until their data is built: keep nothing big alive for them
        // (the method names the trace log learnt are tens of thousands of strings).
        _source = null!;
        _taskSource = null!;
        _assemblies.Clear();
        _open.Clear();
        _openTasks.Clear();
        GC.KeepAlive(_client);
    }

    private static void Read(TraceEventDispatcher source)
    {
        try
        {
            source.Process();
        }
        catch (Exception)
        {
            // The stream broke (the process is shutting down, the session was stopped): no more waits are read.
        }
    }

#pragma warning disable CS0618 // The raw QPC timestamp on purpose: EventPipe stamps events with the clock Stopwatch reads.
    private static long TimestampOf(TraceEvent e) => e.TimeStampQPC;
#pragma warning restore CS0618

    private void OnAny(TraceEvent e)
    {
        // Any event tells how far the stream has been read; the marker of a request's end makes sure one comes.
        var timestamp = TimestampOf(e);
        lock (_progress)
        {
            if (timestamp > _readUpTo)
            {
                _readUpTo = timestamp;
                if (e.ProviderGuid == _markerGuid)
                {
                    Monitor.PulseAll(_progress);
                }
            }
        }
    }

    private void OnAnyTask(TraceEvent e)
    {
        var timestamp = TimestampOf(e);
        lock (_progress)
        {
            if (timestamp > _taskReadUpTo)
            {
                _taskReadUpTo = timestamp;
                if (e.ProviderGuid == _markerGuid)
                {
                    Monitor.PulseAll(_progress);
                }
            }
        }
    }

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

    private void OnTaskWaitBegin(TaskWaitSendArgs e)
    {
        // Only waits that block the thread (not an await's continuation); the outermost one of a thread.
        if (e.Behavior == TaskWaitBehavior.Synchronous && !_openTasks.ContainsKey(e.ThreadID))
        {
            _openTasks[e.ThreadID] = (e.TaskID, TimestampOf(e));
        }
    }

    private void OnTaskWaitEnd(TaskWaitStopArgs e)
    {
        if (!_openTasks.TryGetValue(e.ThreadID, out var open) || open.TaskId != e.TaskID)
        {
            return;
        }

        _openTasks.Remove(e.ThreadID);
        var end = TimestampOf(e);
        if (end - open.Start >= s_thresholdTicks
            && RequestThreadLog.Find((ulong)e.ThreadID, open.Start, out var pool) is { } owner && ReferenceEquals(owner.Session, this))
        {
            owner.AddTaskWait(new TaskWaitSpan((ulong)e.ThreadID, open.Start, end, pool));
        }
    }

    private void OnStart(TraceEvent e, bool isLock, int waitSource)
    {
        if (_open.TryGetValue(e.ThreadID, out var open))
        {
            // A wait inside a wait of the same thread (a contended lock blocks on a wait handle): one wait.
            open.Depth++;
            return;
        }

        var start = TimestampOf(e);
        // Several apps in one process each have a session; each reads every wait and keeps those of its own requests.
        var owner = RequestThreadLog.Find((ulong)e.ThreadID, start, out var pool) is { } found && ReferenceEquals(found.Session, this) ? found : null;
        open = new OpenWait { Start = start, Owner = owner, ThreadPoolThread = pool, Depth = 1 };
        if (owner is not null)
        {
            Describe(e.CallStack(), isLock, waitSource, open);
        }

        _open[e.ThreadID] = open;
    }

    private void OnStop(TraceEvent e)
    {
        if (!_open.TryGetValue(e.ThreadID, out var open) || --open.Depth > 0)
        {
            return;
        }

        _open.Remove(e.ThreadID);
        var end = TimestampOf(e);
        if (open.Owner is { } owner && end - open.Start >= s_thresholdTicks)
        {
            owner.Add(new RawWait(open.Kind, open.Api, open.Start, end, open.Frames, open.Unresolved, open.ThreadPoolThread, (ulong)e.ThreadID));
        }
    }

    private void Describe(TraceCallStack? stack, bool isLock, int waitSource, OpenWait open)
    {
        // Leaf first: the runtime's wait, the framework API the app called, then the app's frames.
        var framework = new List<string>();
        var frames = new List<CapturedFrame>();
        var unresolved = new List<string>();
        for (var frame = stack; frame is not null && frames.Count + unresolved.Count < WaitStack.MaxFrames; frame = frame.Caller)
        {
            var address = frame.CodeAddress;
            var method = address.Method;
            var module = address.ModuleName;
            if (method is null || string.IsNullOrEmpty(module))
            {
                continue;
            }

            if (AssemblyOf(module) is { } assembly && _appCode.IsAppAssembly(assembly))
            {
                if (ResolveMethod(assembly, method.MethodToken) is { } resolved)
                {
                    frames.Add(new CapturedFrame(resolved, Math.Max(0, address.ILOffset)));
                }
                else
                {
                    unresolved.Add(WaitStack.CleanName(method.FullMethodName));
                }
            }
            else if (frames.Count == 0 && unresolved.Count == 0)
            {
                framework.Add(method.FullMethodName);
            }
        }

        (open.Kind, open.Api) = WaitStack.Classify(isLock, waitSource, framework);
        open.Frames = frames;
        open.Unresolved = unresolved;
    }

    private Assembly? AssemblyOf(string module)
    {
        if (!_assemblies.TryGetValue(module, out var assembly))
        {
            assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => !a.IsDynamic && string.Equals(a.GetName().Name, module, StringComparison.OrdinalIgnoreCase));
            _assemblies[module] = assembly;
        }

        return assembly;
    }

    private static MethodBase? ResolveMethod(Assembly assembly, int token)
    {
        try
        {
            return token == 0 ? null : assembly.ManifestModule.ResolveMethod(token);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private sealed class OpenWait
    {
        public long Start { get; init; }

        public ThreadsState? Owner { get; init; }

        public bool ThreadPoolThread { get; init; }

        public int Depth { get; set; }

        public string Kind { get; set; } = "waitHandle";

        public string? Api { get; set; }

        public IReadOnlyList<CapturedFrame> Frames { get; set; } = [];

        public IReadOnlyList<string> Unresolved { get; set; } = [];
    }
}
