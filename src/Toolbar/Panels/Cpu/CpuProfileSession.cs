using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.EventPipe;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Toolbar.Panels.Cpu;

/// <summary>
/// One EventPipe session on this very process, the way dotnet-trace's cpu-sampling profile runs from outside: the
/// runtime's sample profiler walks the managed stack of every thread about once a millisecond, and the runtime
/// provider's JIT and loader events (plus the rundown the runtime writes when the session stops) name the code at
/// each address. TraceEvent's real-time <see cref="TraceLog"/> turns addresses into methods and modules.
/// </summary>
internal sealed class CpuProfileSession : IDisposable
{
    /// <summary>Jit | Loader: methods compiled and modules loaded while the session runs.</summary>
    private const long RuntimeKeywords = (long)(ClrTraceEventParser.Keywords.Jit | ClrTraceEventParser.Keywords.Loader);

    private readonly DiagnosticsClient _client;
    private readonly EventPipeSession _session;
    private readonly TraceLogEventSource _source;
    private readonly Thread _reader;
    private readonly List<RawSample> _samples = [];
    private readonly ManualResetEventSlim _firstEvent = new();
    private Exception? _readerError;
    private int _stopped;

    private CpuProfileSession()
    {
        _client = new DiagnosticsClient(Environment.ProcessId);
        var providers = new[]
        {
            new EventPipeProvider(SampleProfilerTraceEventParser.ProviderName, EventLevel.Informational),
            new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, RuntimeKeywords),
        };

        // Rundown when the session stops names every method compiled before it started (JIT'd or ReadyToRun); the
        // real-time TraceLog resolves addresses it saw earlier once their method arrives. No rundown up front: that
        // would make the profiled request wait for a walk of every method of the process.
        _session = _client.StartEventPipeSession(providers, requestRundown: true, circularBufferMB: 64);
        try
        {
            _source = TraceLog.CreateFromEventPipeSession(_session, TraceLog.EventPipeRundownConfiguration.None());
            var samples = new SampleProfilerTraceEventParser(_source);
            samples.ThreadSample += OnSample;
            _source.AllEvents += _ => _firstEvent.Set();
            _reader = new Thread(Read) { IsBackground = true, Name = "Toolbar CPU profile reader" };
            _reader.Start();
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>The session's start, on the <see cref="Stopwatch"/> clock.</summary>
    public long StartedAt { get; } = Stopwatch.GetTimestamp();

    /// <summary>Starts sampling. Blocks while the runtime opens the session (a few milliseconds).</summary>
    public static CpuProfileSession Start() => new();

    /// <summary>
    /// Stops sampling and waits for the runtime's closing rundown, then resolves the samples <paramref name="keep"/>
    /// accepts (by OS thread id and <see cref="Stopwatch"/> timestamp) into frames, leaf first.
    /// </summary>
    public IReadOnlyList<ResolvedSample> StopAndResolve(Func<ulong, long, bool> keep, TimeSpan timeout) => StopAndResolve(keep, timeout, 0, 0, out _);

    /// <summary>
    /// As <see cref="StopAndResolve(Func{ulong, long, bool}, TimeSpan)"/>, and counts the sampler's rounds between
    /// <paramref name="from"/> and <paramref name="to"/>: each round samples every managed thread once, so the thread
    /// sampled most often in the window was sampled once per round.
    /// </summary>
    public IReadOnlyList<ResolvedSample> StopAndResolve(Func<ulong, long, bool> keep, TimeSpan timeout, long from, long to, out int rounds)
    {
        Stop();
        if (!_reader.Join(timeout))
        {
            throw new TimeoutException($"The profiler's event stream did not end within {timeout.TotalSeconds:0} s.");
        }

        if (_readerError is not null)
        {
            throw new InvalidOperationException("Reading the profiler's events failed: " + _readerError.Message, _readerError);
        }

        var log = _source.TraceLog;
        var resolver = new FrameResolver(log);
        var kept = new List<ResolvedSample>();
        var perThread = new Dictionary<ulong, int>();
        rounds = 0;
        foreach (var sample in _samples)
        {
            if (sample.Timestamp >= from && sample.Timestamp <= to)
            {
                var count = perThread[sample.ThreadId] = perThread.GetValueOrDefault(sample.ThreadId) + 1;
                rounds = Math.Max(rounds, count);
            }

            if (keep(sample.ThreadId, sample.Timestamp))
            {
                kept.Add(new ResolvedSample(sample.ThreadId, sample.Timestamp, resolver.Resolve(sample.Stack, sample.Managed)));
            }
        }

        return kept;
    }

    /// <summary>Samples seen so far (all threads), for diagnostics.</summary>
    public int RawSampleCount => Volatile.Read(ref _rawCount);

    private int _rawCount;

    private void OnSample(ClrThreadSampleTraceData e)
    {
        // Runs on the reader thread only. Addresses are resolved after the rundown: most methods are named only then.
        // The raw timestamp, on purpose: EventPipe stamps events with the clock Stopwatch reads, so a sample compares
        // directly with the request's thread intervals.
#pragma warning disable CS0618
        var timestamp = e.TimeStampQPC;
#pragma warning restore CS0618
        _samples.Add(new RawSample((ulong)e.ThreadID, timestamp, e.CallStackIndex(), e.Type == ClrThreadSampleType.Managed));
        _rawCount++;
    }

    private void Read()
    {
        try
        {
            _source.Process();
        }
        catch (Exception ex)
        {
            _readerError = ex;
        }
    }

    /// <summary>When sampling was stopped early (<see cref="StopEarly"/>), on the <see cref="Stopwatch"/> clock; else 0.</summary>
    public long StoppedEarlyAt => Interlocked.Read(ref _stoppedEarlyAt);

    private long _stoppedEarlyAt;
    private int _slotReleased;

    /// <summary>True the first time only: the profiler's slot is given back once, by whichever of the limit and the finish comes first.</summary>
    public bool ClaimSlotRelease() => Interlocked.Exchange(ref _slotReleased, 1) == 0;

    /// <summary>
    /// Stops sampling while the request still runs (it outlived the profile's limit): what was sampled is kept, and
    /// nothing more is collected, however long the request goes on.
    /// </summary>
    public void StopEarly()
    {
        MarkStoppedEarly();
        Stop();
    }

    /// <summary>Notes when sampling was cut (the first call counts), before the session is told to stop.</summary>
    public void MarkStoppedEarly()
    {
        if (Volatile.Read(ref _stopped) == 0)
        {
            Interlocked.CompareExchange(ref _stoppedEarlyAt, Stopwatch.GetTimestamp(), 0);
        }
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            _session.Stop();
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or IOException or TimeoutException)
        {
            // The session may already be gone; the reader ends when its stream ends either way.
        }
    }

    public void Dispose()
    {
        Stop();
        _reader.Join(TimeSpan.FromSeconds(10));
        _source.Dispose();
        _session.Dispose();
        _firstEvent.Dispose();
        GC.KeepAlive(_client);
    }

    private readonly record struct RawSample(ulong ThreadId, long Timestamp, CallStackIndex Stack, bool Managed);

    /// <summary>Turns TraceLog call stacks into frames, each distinct stack and address once.</summary>
    private sealed class FrameResolver(TraceLog log)
    {
        private readonly Dictionary<(CallStackIndex, bool), CpuFrame[]> _stacks = [];
        private readonly Dictionary<CodeAddressIndex, CpuFrame> _frames = [];

        public CpuFrame[] Resolve(CallStackIndex stack, bool managed)
        {
            if (_stacks.TryGetValue((stack, managed), out var known))
            {
                return known;
            }

            var frames = new List<CpuFrame>();
            if (!managed)
            {
                // The sampler saw the thread outside managed code: in native code (a P/Invoke, the runtime) or blocked
                // in a wait. Its managed stack is the caller's; the leaf says which kind of time this is.
                frames.Add(CpuFrame.Outside);
            }

            var callStacks = log.CallStacks;
            for (var index = stack; index != CallStackIndex.Invalid; index = callStacks.Caller(index))
            {
                var frame = Frame(callStacks.CodeAddressIndex(index));
                // A loop stopped for the sampler's own suspension at a GC poll shows the poll helper as its leaf: the
                // time is the method that polled, so the helper is left out (only as the leaf, where the sampler put it).
                if (frames.Count == 0 && frame.Name.StartsWith("System.Threading.Thread.<PollGC>", StringComparison.Ordinal))
                {
                    continue;
                }

                frames.Add(frame);
            }

            var resolved = frames.ToArray();
            _stacks[(stack, managed)] = resolved;
            return resolved;
        }

        private CpuFrame Frame(CodeAddressIndex address)
        {
            if (_frames.TryGetValue(address, out var frame))
            {
                return frame;
            }

            var codeAddresses = log.CodeAddresses;
            var module = codeAddresses.ModuleFile(address);
            var moduleName = module?.Name ?? "?";
            var method = codeAddresses.MethodIndex(address);
            var name = method != MethodIndex.Invalid
                ? codeAddresses.Methods.FullMethodName(method)
                : $"{moduleName}!0x{codeAddresses.Address(address):x}";
            frame = new CpuFrame(string.IsNullOrEmpty(name) ? "?" : name, moduleName, module?.FilePath);
            _frames[address] = frame;
            return frame;
        }
    }
}
