using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Toolbar.Internal;

namespace Toolbar;

/// <summary>
/// Everything the toolbar knows about one tracked request. While the request runs it is the
/// ambient <see cref="Current"/> record, so collectors anywhere in the app find it without a
/// reference; after the request it is kept in an <see cref="IToolbarStore"/>, and only panel data deferred with
/// <see cref="PanelContext.SetLazyData{TData}"/> still changes (it is built on first read).
/// </summary>
public sealed partial class RequestRecord
{
    // The toolbar's only async local: collectors find their state through the record (see FindState). When the
    // app uses IHttpContextAccessor, the toolbar's accessor keeps the request's HttpContext in the same local
    // (see ToolbarHttpContextAccessor): one local instead of two, so every AsyncLocal write of the app (EF Core
    // writes one per row it reads) copies a smaller map.
    private static readonly AsyncLocal<RequestAmbient?> s_current = new(OnCurrentChanged);

    private readonly long _startTimestamp;
    private readonly Lock _stateLock = new();
    private object?[] _states;
    private IExecutionContextObserver[]? _observers;
    private Dictionary<string, string>? _panelErrors;
    private long _estimatedBytes = 512;

    /// <summary>Creates a record for a request that starts now.</summary>
    public RequestRecord(string method, string path, string queryString)
        : this(NewId(), method, path, queryString, DateTimeOffset.UtcNow, Stopwatch.GetTimestamp())
    {
    }

    internal RequestRecord(string method, string path, string queryString, IReadOnlyList<ToolbarPanel> panels)
        : this(NewId(), method, path, queryString, DateTimeOffset.UtcNow, Stopwatch.GetTimestamp())
    {
        if (panels.Count > 0)
        {
            _slotPanels = panels;
            _slots = new object?[panels.Count];
            Array.Fill(_slots, s_noEntry);
        }
    }

    internal RequestRecord(string id, string method, string path, string queryString, DateTimeOffset startedAt, long startTimestamp)
    {
        Id = id;
        Method = method;
        Path = path;
        QueryString = queryString;
        StartedAt = startedAt;
        _startTimestamp = startTimestamp;
        _states = [];
    }

    /// <summary>
    /// Adds an observer told every time a thread starts or stops running this request's execution context
    /// (after an await, a thread-pool hop, work the request started): e.g. to count the request's allocations
    /// across threads, or to know which threads run the request right now. Call it from a panel hook, which runs on
    /// the request's execution context; the calling thread is already inside, so call
    /// <see cref="IExecutionContextObserver.OnEntered"/> yourself first if you need its start figure.
    /// </summary>
    /// <param name="observer">Told of every switch from now on; keep its methods tiny, they run on every switch.</param>
    public void AddExecutionContextObserver(IExecutionContextObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_stateLock)
        {
            _observers = [.. _observers ?? [], observer];
        }
    }

    private static void OnCurrentChanged(AsyncLocalValueChangedArgs<RequestAmbient?> args)
    {
        var previous = args.PreviousValue?.Record;
        var current = args.CurrentValue?.Record;
        if (ReferenceEquals(previous, current))
        {
            return;
        }

        if (previous?._observers is { } left)
        {
            foreach (var observer in left)
            {
                observer.OnLeft();
            }
        }

        if (current?._observers is { } entered)
        {
            foreach (var observer in entered)
            {
                observer.OnEntered();
            }
        }
    }

    /// <summary>The record of the request whose execution context is running, or <c>null</c> when none is tracked.</summary>
    public static RequestRecord? Current
    {
        get => s_current.Value?.Record;
        internal set => s_current.Value = value is null ? null : new RequestAmbient { Context = s_current.Value?.Context, Record = value };
    }

    /// <summary>What the toolbar's async local holds for the request running here.</summary>
    internal static RequestAmbient? Ambient
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    /// <summary>
    /// Makes <paramref name="record"/> the ambient record of the request: when the toolbar's accessor already holds
    /// this request's context, the record joins it without another async-local write.
    /// </summary>
    internal static void Enter(RequestRecord record, HttpContext context)
    {
        if (s_current.Value is { Record: null } ambient && ReferenceEquals(ambient.Context, context))
        {
            ambient.Record = record;
            return;
        }

        s_current.Value = new RequestAmbient { Context = s_current.Value?.Context, Record = record };
    }

    /// <summary>Random 128-bit id, 32 lowercase hex digits.</summary>
    public string Id { get; }

    /// <summary>HTTP method.</summary>
    public string Method { get; }

    /// <summary>Request path (with path base).</summary>
    public string Path { get; }

    /// <summary>Query string including the leading <c>?</c>, or empty.</summary>
    public string QueryString { get; }

    /// <summary>UTC time the request started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Response status code (final once the request has finished).</summary>
    public int StatusCode { get; set; }

    /// <summary>
    /// The gRPC status code of a gRPC call (from the <c>grpc-status</c> trailer, or header of a trailers-only
    /// response), or <c>null</c> when the request was not a gRPC call. Non-zero means the call failed, whatever
    /// <see cref="StatusCode"/> says (gRPC answers HTTP 200 for failed calls too).
    /// </summary>
    public int? GrpcStatus { get; set; }

    /// <summary>The gRPC status message (<c>grpc-message</c>, percent-decoded), when the call sent one.</summary>
    public string? GrpcMessage { get; set; }

    /// <summary>Server time of the whole request in milliseconds (final once finished).</summary>
    public double DurationMs { get; set; }

    /// <summary>Response content type, when known.</summary>
    public string? ContentType { get; set; }

    /// <summary>Whether the request came from script (<c>fetch</c>/XHR) rather than a page navigation, as far as the headers tell.</summary>
    public bool IsAjax { get; set; }

    /// <summary>
    /// Whether the response is an asset (static file, framework file, style, script, image, font…): decided by the
    /// toolbar from what served it, its content type and its path. Assets are stored only when
    /// <see cref="ToolbarOptions.StoreAssets"/> is on, and then in their own bound.
    /// </summary>
    public bool IsAsset { get; set; }

    /// <summary>Whether the record was imported from an exported JSON file (<c>{prefix}/import</c>) rather than tracked by this app.</summary>
    public bool IsImported { get; internal set; }

    /// <summary>Whether the request has finished and its data is final.</summary>
    public bool IsFinished { get; internal set; }

    /// <summary>
    /// The exception that escaped the app's pipeline (the request failed), or <c>null</c>. Set by the toolbar
    /// before <see cref="ToolbarPanel.OnRequestFinished"/> runs, so panels can tell handled from unhandled
    /// failures. Never serialized: panels store what they need of it in their own data.
    /// </summary>
    public Exception? Exception { get; internal set; }

    /// <summary>Errors raised by panels for this request, by panel id. The toolbar shows them inside that panel only.</summary>
    public Dictionary<string, string> PanelErrors => LazyInitializer.EnsureInitialized(ref _panelErrors, static () => new(StringComparer.Ordinal));

    /// <summary>Rough size of the record in memory, used to bound the store.</summary>
    public long EstimatedBytes => Interlocked.Read(ref _estimatedBytes);

    /// <summary>Milliseconds elapsed since the request started (monotonic clock).</summary>
    public double ElapsedMs => Stopwatch.GetElapsedTime(_startTimestamp).TotalMilliseconds;

    /// <summary>The monotonic timestamp (<see cref="Stopwatch.GetTimestamp"/>) the request started at.</summary>
    public long StartTimestamp => _startTimestamp;

    /// <summary>Converts a <see cref="Stopwatch"/> timestamp into milliseconds from the request start.</summary>
    public double ToOffsetMs(long timestamp) => Stopwatch.GetElapsedTime(_startTimestamp, timestamp).TotalMilliseconds;

    /// <summary>Adds to the record's estimated size (panels call it for the data they keep).</summary>
    public void AddEstimatedBytes(long bytes) => Interlocked.Add(ref _estimatedBytes, bytes);

    /// <summary>
    /// The per-request state of type <typeparamref name="TState"/> (e.g. the list of queries a panel gathers),
    /// created on first use. This is how a panel keeps per-request facts: its hook creates the state
    /// (<see cref="PanelContext.GetState{TState}"/>), and its collectors anywhere in the app find it with
    /// <c>RequestRecord.Current?.FindState&lt;TState&gt;()</c>. Keyed by type, so give each panel a state type of its own.
    /// Thread-safe: collectors on any thread of the request may call it.
    /// </summary>
    /// <typeparam name="TState">The state type; one instance per record.</typeparam>
    public TState GetState<TState>() where TState : class, new()
    {
        var index = StateSlot<TState>.Index;
        var states = Volatile.Read(ref _states);
        if ((uint)index < (uint)states.Length && states[index] is TState existing)
        {
            return existing;
        }

        lock (_stateLock)
        {
            states = _states;
            if (index >= states.Length)
            {
                // Room for every state type known so far: a request's panels create theirs one after the other.
                Array.Resize(ref states, Math.Max(index + 1, Volatile.Read(ref s_stateSlots)));
            }

            if (states[index] is not TState state)
            {
                state = new TState();
                states[index] = state;
            }

            Volatile.Write(ref _states, states);
            return state;
        }
    }

    /// <summary>
    /// The state of type <typeparamref name="TState"/> if something created it for this record (see
    /// <see cref="GetState{TState}"/>), else <c>null</c>. A collector that finds none is outside a request its
    /// panel tracks (the panel is disabled, or not part of this app) and should do nothing.
    /// </summary>
    /// <typeparam name="TState">The state type.</typeparam>
    public TState? FindState<TState>() where TState : class
    {
        var states = Volatile.Read(ref _states);
        var index = StateSlot<TState>.Index;
        return (uint)index < (uint)states.Length ? states[index] as TState : null;
    }

    /// <summary>Records a panel's failure; the first one stays (later ones are usually its echo).</summary>
    internal void AddPanelError(string panelId, string error)
    {
        lock (PanelErrors)
        {
            PanelErrors.TryAdd(panelId, error);
        }
    }

    /// <summary>The failure recorded for a panel, or <c>null</c>.</summary>
    internal string? GetPanelError(string panelId)
    {
        lock (PanelErrors)
        {
            return PanelErrors.GetValueOrDefault(panelId);
        }
    }

    internal void ReleaseStates()
    {
        _states = [];
        _observers = null;
    }

    // One slot per state type, process-wide: a record finds a state by array index, without a dictionary lookup.
    private static int s_stateSlots;

    private static class StateSlot<TState>
    {
        public static readonly int Index = Interlocked.Increment(ref s_stateSlots) - 1;
    }

    // Random bytes for ids, drawn from the system's CSPRNG in batches: one call per 64 ids instead of one per request.
    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_randomUsed;

    internal static string NewId()
    {
        var random = t_random ??= new byte[16 * 64];
        if (t_randomUsed == 0 || t_randomUsed >= random.Length)
        {
            RandomNumberGenerator.Fill(random);
            t_randomUsed = 0;
        }

        var id = Convert.ToHexStringLower(random.AsSpan(t_randomUsed, 16));
        // Each byte serves one id only.
        random.AsSpan(t_randomUsed, 16).Clear();
        t_randomUsed += 16;
        return id;
    }
}
