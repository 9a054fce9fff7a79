using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolbar.Internal;

namespace Toolbar.Stores;

/// <summary>
/// Keeps records in an <see cref="IDistributedCache"/> (Redis in practice) so that several instances of an app
/// share one history. Each record is one JSON entry with an absolute expiry of
/// <see cref="ToolbarOptions.RecordLifetime"/>; a list of recent summaries is kept under one more key, bounded by
/// <see cref="ToolbarOptions.MaxRequests"/> and <see cref="ToolbarOptions.MaxStoreBytes"/>. Shared snapshots
/// (<see cref="SharedSnapshot"/>: the configuration, the route map) are written once under their content hash and
/// each record refers to them; a snapshot lives longer than any record written while it was referenced, and is
/// rewritten (its lifetime renewed) while records keep referring to it.
/// </summary>
/// <remarks>
/// The request never waits for the cache: <see cref="AddAsync"/> puts the record on a bounded queue and one background
/// writer serializes and writes records in batches (one call of each kind per batch, pipelined by a client that can).
/// When the queue is full the oldest queued record gives way (counted in <see cref="DroppedRecords"/>, logged at most
/// once a minute). Until written, a record is served from memory, so the page's own toolbar loads at once. When the
/// cache fails, the store reports <see cref="ToolbarStoreUnavailableException"/> for a short while without calling it
/// again (so no request waits on a dead server), logs the outage once, and logs the recovery when the cache answers
/// again. Over a plain <see cref="IDistributedCache"/> the recent-list update is read-modify-write: instances writing
/// in the same instant may drop one another's list entry (the record itself stays readable by id). A store over a
/// server with atomic list operations and pipelining (the <c>Toolbar.Redis</c> package) overrides the protected
/// methods to keep the list exact and write a batch in a few round trips.
/// </remarks>
public partial class DistributedToolbarStore : IToolbarStore, IToolbarStoreStatus, IAsyncDisposable, IDisposable
{
    internal const string IndexKey = "index";

    /// <summary>Records the queue holds at most; beyond it the oldest gives way.</summary>
    internal const int QueueCapacity = 1024;

    /// <summary>Records written in one batch at most.</summary>
    internal const int MaxBatch = 256;

    private static readonly TimeSpan s_retryAfter = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_dropWarningInterval = TimeSpan.FromMinutes(1);

    private readonly IDistributedCache _cache;
    private readonly ToolbarRuntime _runtime;
    private readonly ILogger _logger;
    private readonly IDisposable? _ownedCache;
    private readonly int _maxRequests;
    private readonly long _maxBytes;
    private readonly TimeSpan _lifetime;
    private readonly TimeSpan _snapshotRefresh;
    private readonly string _keyPrefix;
    private readonly Channel<RequestRecord> _queue;
    private readonly ConcurrentDictionary<string, RequestRecord> _pending = new(StringComparer.Ordinal);
    // When this instance last wrote each snapshot (UTC ticks): rewritten once older than the refresh interval.
    private readonly ConcurrentDictionary<string, long> _snapshotWrittenAt = new(StringComparer.Ordinal);
    // Snapshot JSON by hash, for reads: content-addressed, so never stale; bounded by clearing when full.
    private readonly ConcurrentDictionary<string, byte[]> _snapshotJson = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _indexLock = new(1, 1);
    private readonly Task _writer;
    private long _downUntilTicks;
    private int _down;
    private long _droppedInOutage;
    private long _droppedTotal;
    private long _droppedQueueFull;
    private long _lastDropWarningTicks;
    private int _disposed;

    /// <summary>Creates the store over <paramref name="cache"/>.</summary>
    /// <param name="cache">Where records (and, unless overridden, the recent list) are kept.</param>
    /// <param name="serializer">The app's record serializer (a service).</param>
    /// <param name="logger">Logs outages (once each) and recoveries.</param>
    /// <param name="ownedCache">Disposed with the store (a cache the store created), or <c>null</c>.</param>
    /// <param name="keyPrefix">Prefix of every key the store writes.</param>
    public DistributedToolbarStore(IDistributedCache cache, RequestRecordSerializer serializer, ILogger<DistributedToolbarStore> logger, IDisposable? ownedCache = null, string keyPrefix = "toolbar:")
        : this(cache, (serializer ?? throw new ArgumentNullException(nameof(serializer))).Runtime, logger, ownedCache, keyPrefix)
    {
    }

    internal DistributedToolbarStore(IDistributedCache cache, ToolbarRuntime runtime, ILogger<DistributedToolbarStore> logger, IDisposable? ownedCache = null, string keyPrefix = "toolbar:")
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(logger);
        _cache = cache;
        _runtime = runtime;
        _logger = logger;
        _ownedCache = ownedCache;
        _keyPrefix = keyPrefix;
        _maxRequests = Math.Max(1, runtime.Options.MaxRequests);
        _maxBytes = Math.Max(1, runtime.Options.MaxStoreBytes);
        _lifetime = runtime.Options.RecordLifetime > TimeSpan.Zero ? runtime.Options.RecordLifetime : TimeSpan.FromHours(1);
        _snapshotRefresh = TimeSpan.FromTicks(Math.Min(_lifetime.Ticks / 4, TimeSpan.FromMinutes(1).Ticks));
        _queue = Channel.CreateBounded<RequestRecord>(
            new BoundedChannelOptions(QueueCapacity)
            {
                SingleReader = true,
                // The request never waits: when the cache is slower than the app, the oldest queued record gives way.
                FullMode = BoundedChannelFullMode.DropOldest,
            },
            OnQueueDropped);
        // One writer, writing batches: several writers at once hit the client's short timeout together on a starved
        // machine and sent the store into its back-off (bench/RESULTS.md); batching gives the throughput instead.
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Most entries of the recent list (<see cref="ToolbarOptions.MaxRequests"/>).</summary>
    protected int MaxRequests => _maxRequests;

    /// <summary>Most bytes of stored records (<see cref="ToolbarOptions.MaxStoreBytes"/>).</summary>
    protected long MaxBytes => _maxBytes;

    /// <summary>How long a record is kept (<see cref="ToolbarOptions.RecordLifetime"/>).</summary>
    protected TimeSpan Lifetime => _lifetime;

    /// <summary>Prefix of every key the store writes.</summary>
    protected string KeyPrefix => _keyPrefix;

    /// <inheritdoc />
    public long DroppedRecords => Interlocked.Read(ref _droppedTotal);

    /// <inheritdoc />
    public int QueuedRecords => _queue.Reader.Count;

    /// <inheritdoc />
    public ValueTask AddAsync(RequestRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (IsInBackoff())
        {
            // The cache failed moments ago: do not even queue (the writer probes again once the back-off ends).
            CountDropped(1, outage: true);
            return ValueTask.CompletedTask;
        }

        _pending[record.Id] = record;
        if (!_queue.Writer.TryWrite(record))
        {
            // Only after disposal: the queue itself never refuses (it drops its oldest instead).
            _pending.TryRemove(new KeyValuePair<string, RequestRecord>(record.Id, record));
            CountDropped(1, outage: false);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask<RequestRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (_pending.TryGetValue(id, out var pending))
        {
            return pending;
        }

        var json = (await CallAsync(() => ReadAsync([RecordKey(id)], cancellationToken), "get", cancellationToken))[0];
        return json is null ? null : (await ReadRecordAsync(json, "get", cancellationToken)).Record;
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(string id, Func<RequestRecord, bool> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(update);
        // A record still queued is about to be serialized by the writer: a change to the object now could be
        // written or not. Wait (briefly: the writer writes a batch per round trip) and update the stored copy.
        for (var waited = 0; _pending.ContainsKey(id) && !_writer.IsCompleted && waited < 200; waited++)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }

        var json = (await CallAsync(() => ReadAsync([RecordKey(id)], cancellationToken), "update", cancellationToken).ConfigureAwait(false))[0];
        if (json is null)
        {
            return false;
        }

        var (record, _) = await ReadRecordAsync(json, "update", cancellationToken).ConfigureAwait(false);
        if (record.StartedAt + _lifetime <= DateTimeOffset.UtcNow || !update(record))
        {
            return false;
        }

        var snapshots = new Dictionary<string, SharedSnapshot>(StringComparer.Ordinal);
        var updated = RecordSerializer.Serialize(record, _runtime, snapshots);
        // The record keeps the expiry it was stored with: an update does not make it live longer than its list entry.
        var writes = SnapshotWrites(snapshots.Values, DateTimeOffset.UtcNow);
        writes.Add(new StoredWrite(RecordKey(id), updated, record.StartedAt + _lifetime));
        await CallAsync(async () =>
        {
            await WriteAsync(writes, cancellationToken).ConfigureAwait(false);
            return true;
        }, "update", cancellationToken).ConfigureAwait(false);
        MarkSnapshotsWritten(writes);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RequestSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var index = await CallAsync(() => ReadIndexAsync(cancellationToken), "list", cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var result = new List<RequestSummary>(index.Count + _pending.Count);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in index)
        {
            if (entry.StartedAt + _lifetime > now && listed.Add(entry.Id))
            {
                result.Add(entry.ToSummary());
            }
        }

        foreach (var record in _pending.Values)
        {
            if (listed.Add(record.Id))
            {
                result.Add(RequestSummary.From(record, RecordSerializer.Badges(record, _runtime) ?? new Dictionary<string, string>()));
            }
        }

        result.Sort((a, b) => b.StartedAt.CompareTo(a.StartedAt));
        return result.Count > _maxRequests ? result.GetRange(0, _maxRequests) : result;
    }

    /// <inheritdoc />
    public async ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        _pending.Clear();
        var index = await CallAsync(() => ReadIndexAsync(cancellationToken), "clear", cancellationToken);
        await CallAsync(async () =>
        {
            await ClearIndexAsync(cancellationToken);
            await RemoveAsync([.. index.Select(e => RecordKey(e.Id))], cancellationToken);
            return true;
        }, "clear", cancellationToken);
        // Snapshots are left to expire; the next record that refers to one writes it again.
        _snapshotWrittenAt.Clear();
    }

    /// <summary>Waits until every queued record has been written (or dropped). For tests and shutdown.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        while (!_pending.IsEmpty && !_writer.IsCompleted)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await Task.WhenAny(_writer, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        _ownedCache?.Dispose();
        _indexLock.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();


    private const string SnapshotKeyPart = "snap:";

    /// <summary>A cache key of the store: <see cref="KeyPrefix"/> plus <paramref name="name"/>.</summary>
    /// <param name="name">The key's own part.</param>
    protected string Key(string name) => _keyPrefix + name;

    /// <summary>The cache key of a record.</summary>
    /// <param name="id">The record id.</param>
    // "rec:" since records refer to shared snapshots: a version that cannot resolve them never reads one.
    protected string RecordKey(string id) => _keyPrefix + "rec:" + id;

    /// <summary>The cache key of a shared snapshot.</summary>
    /// <param name="hash">The snapshot's content hash.</param>
    protected string SnapshotKey(string hash) => _keyPrefix + SnapshotKeyPart + hash;
}
