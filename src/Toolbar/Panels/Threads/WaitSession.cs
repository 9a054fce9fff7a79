using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Reflection;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Toolbar.Panels.Threads;

/// <summary>
/// Reads the runtime's own reports of blocked threads, with the stack of each, from an EventPipe session on this process:
/// <c>Contention/Start</c>–<c>Stop</c> (a <c>lock</c> held by another thread) and <c>WaitHandleWait/Start</c>–<c>Stop</c>
/// (a wait handle, <c>Monitor.Wait</c> and what builds on it: <c>SemaphoreSlim</c>, <c>ManualResetEventSlim</c>, a task's
/// <c>.Result</c>/<c>.Wait()</c>/<c>GetResult()</c>). The runtime raises them from native code: an in-process
/// <see cref="EventListener"/> would get them late, on a dispatcher thread of its own, without a stack. So each wait
/// goes to the request its thread was running when it began (<see cref="RequestThreadLog"/>), whichever app of the
/// process it belongs to (one session serves them all, see <see cref="WaitListener"/>), and the raw stack the runtime
/// walked on the blocked thread is kept for that app to name its own frames. Nothing runs on the app's threads but the
/// runtime's event write, and nothing at all while no thread blocks.
/// </summary>
internal sealed class WaitSession : IDisposable
{
    /// <summary>Raw frames kept per wait: enough to reach the app's frames under the framework's, and a dozen of them.</summary>
    public const int MaxRawFrames = 96;

    /// <summary>Contention | WaitHandle, and Jit | Loader | JittedMethodILToNativeMap to name the code at each address.</summary>
    private const long RuntimeKeywords = (long)(ClrTraceEventParser.Keywords.Contention | ClrTraceEventParser.Keywords.WaitHandle
        | ClrTraceEventParser.Keywords.Jit | ClrTraceEventParser.Keywords.Loader | ClrTraceEventParser.Keywords.JittedMethodILToNativeMap);

    private static readonly long s_thresholdTicks = (long)(ThreadsPanel.ThresholdMs * Stopwatch.Frequency / 1000);

    private readonly DiagnosticsClient _client;
    private readonly EventPipeSession _session;
    private TraceLogEventSource _source;
    private readonly Thread _reader;
    private readonly StreamProgress _progress = new(WaitMarkerSource.Log.Guid);
    private readonly Dictionary<int, OpenWait> _open = [];
    private readonly Dictionary<string, Assembly?> _assemblies = new(StringComparer.OrdinalIgnoreCase);
    private int _stopped;

    private WaitSession()
    {
        _client = new DiagnosticsClient(Environment.ProcessId);
        var providers = new[]
        {
            new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, RuntimeKeywords),
            new EventPipeProvider(WaitMarkerSource.ProviderName, EventLevel.Informational),
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
            _source.AllEvents += e => _progress.Saw(e);
            _reader = new Thread(() => StreamProgress.Read(_source)) { IsBackground = true, Name = "Toolbar threads wait reader" };
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        _reader.Start();
    }

    /// <summary>Opens the session (blocks while the runtime starts it and writes the rundown: a few hundred ms).</summary>
    public static WaitSession Start() => new();

    /// <summary>Whether the reader still runs (a failed stream ends it).</summary>
    public bool Reading => _reader.IsAlive;

    /// <summary>
    /// Waits until the reader has read the stream up to <paramref name="timestamp"/> (the marker written when a request ended
    /// is in it) or <paramref name="timeout"/> passed; returns whether it has.
    /// </summary>
    public bool WaitUntilRead(long timestamp, TimeSpan timeout) => _progress.WaitUntilRead(timestamp, timeout, () => Reading);

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

        // Records of finished requests still point here until their data is built: keep nothing big alive for them
        // (the method names the trace log learnt are tens of thousands of strings).
        _source = null!;
        _assemblies.Clear();
        _open.Clear();
        GC.KeepAlive(_client);
    }

    private void OnStart(TraceEvent e, bool isLock, int waitSource)
    {
        if (_open.TryGetValue(e.ThreadID, out var open))
        {
            // A wait inside a wait of the same thread (a contended lock blocks on a wait handle): one wait.
            open.Depth++;
            return;
        }

        var start = StreamProgress.TimestampOf(e);
        // Every app of the process shares this session: the wait goes to whichever tracked request its thread ran.
        var owner = RequestThreadLog.Find((ulong)e.ThreadID, start, out var pool) is { } found && ReferenceEquals(found.Session, this) ? found : null;
        open = new OpenWait { Start = start, Owner = owner, ThreadPoolThread = pool, Depth = 1, IsLock = isLock, WaitSource = waitSource };
        if (owner is not null)
        {
            open.Stack = Capture(e.CallStack());
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
        var end = StreamProgress.TimestampOf(e);
        if (open.Owner is { } owner && end - open.Start >= s_thresholdTicks)
        {
            owner.Add(new RawWait(open.IsLock, open.WaitSource, open.Start, end, open.Stack, open.ThreadPoolThread, (ulong)e.ThreadID));
            if (!open.IsLock && owner.TaskWaits is null && WaitStack.IsTaskWait(WaitStack.Classify(false, open.WaitSource, [.. open.Stack.Select(f => f.Name)]).Kind))
            {
                // A tracked request blocks on a task: from now on, time task waits from the call (see TaskWaitSession).
                WaitListener.TaskWaitSeen();
            }
        }
    }

    /// <summary>The stack leaf first, as far as the runtime named it: which frames are the app's the owner's app decides.</summary>
    private WaitFrame[] Capture(TraceCallStack? stack)
    {
        var frames = new List<WaitFrame>();
        for (var frame = stack; frame is not null && frames.Count < MaxRawFrames; frame = frame.Caller)
        {
            var address = frame.CodeAddress;
            var method = address.Method;
            var module = address.ModuleName;
            if (method is null || string.IsNullOrEmpty(module))
            {
                continue;
            }

            frames.Add(new WaitFrame(AssemblyOf(module), method.MethodToken, address.ILOffset, method.FullMethodName));
        }

        return [.. frames];
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

    private sealed class OpenWait
    {
        public long Start { get; init; }

        public ThreadsState? Owner { get; init; }

        public bool ThreadPoolThread { get; init; }

        public bool IsLock { get; init; }

        public int WaitSource { get; init; }

        public int Depth { get; set; }

        public WaitFrame[] Stack { get; set; } = [];
    }
}
