using System.Collections.Concurrent;
using System.Text.Json;
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
public class DistributedToolbarStore : IToolbarStore, IToolbarStoreStatus, IAsyncDisposable, IDisposable
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

    /// <summary>
    /// Reads values by key (records, snapshots), <c>null</c> for a missing one, in the order of <paramref name="keys"/>.
    /// The default reads them one by one from the cache. Failures are reported as the store being unavailable.
    /// </summary>
    /// <param name="keys">The keys to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    protected virtual async Task<IReadOnlyList<byte[]?>> ReadAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var values = new byte[]?[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            values[i] = await _cache.GetAsync(keys[i], cancellationToken).ConfigureAwait(false);
        }

        return values;
    }

    /// <summary>
    /// Writes values (snapshots first, then records) with their expiry. The default writes them one by one to the
    /// cache; a store over a client that pipelines sends them in one round trip.
    /// </summary>
    /// <param name="writes">What to write, in order.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    protected virtual async Task WriteAsync(IReadOnlyList<StoredWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        foreach (var write in writes)
        {
            await _cache.SetAsync(write.Key, write.Json, new DistributedCacheEntryOptions { AbsoluteExpiration = write.ExpiresAt }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes values by key. The default removes them one by one from the cache.</summary>
    /// <param name="keys">The keys to remove.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    protected virtual async Task RemoveAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            await _cache.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The recent list, newest first (expired entries may be included; the store skips them). The default reads one
    /// JSON entry of the cache. Failures are reported as the store being unavailable.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    protected virtual async Task<IReadOnlyList<StoredSummary>> ReadIndexAsync(CancellationToken cancellationToken)
    {
        var bytes = await _cache.GetAsync(Key(IndexKey), cancellationToken).ConfigureAwait(false);
        if (bytes is null or { Length: 0 })
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, StoreJsonContext.Default.ListStoredSummary) ?? [];
        }
        catch (JsonException)
        {
            // A list written by an incompatible version: start a new one rather than fail every request.
            return [];
        }
    }

    /// <summary>
    /// Adds <paramref name="entries"/> to the recent list (each replacing an entry with its id), drops expired entries
    /// and trims the oldest beyond <see cref="MaxRequests"/> and <see cref="MaxBytes"/> (keeping at least the newest).
    /// The default is read-modify-write of one cache entry, exact within this instance only.
    /// </summary>
    /// <param name="entries">The new entries (a batch); their records are already written.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>The entries trimmed from the list: the store then removes their records.</returns>
    protected virtual async Task<IReadOnlyList<StoredSummary>> AddToIndexAsync(IReadOnlyList<StoredSummary> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await _indexLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var index = new List<StoredSummary>(await ReadIndexAsync(cancellationToken).ConfigureAwait(false));
            var ids = entries.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            index.RemoveAll(e => ids.Contains(e.Id) || e.StartedAt + _lifetime <= DateTimeOffset.UtcNow);
            index.AddRange(entries);
            index.Sort((a, b) => b.StartedAt.CompareTo(a.StartedAt));
            var evicted = Trim(index);
            var indexBytes = JsonSerializer.SerializeToUtf8Bytes(index, StoreJsonContext.Default.ListStoredSummary);
            var expiry = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = _lifetime };
            await _cache.SetAsync(Key(IndexKey), indexBytes, expiry, cancellationToken).ConfigureAwait(false);
            return evicted;
        }
        finally
        {
            _indexLock.Release();
        }
    }

    /// <summary>Removes the recent list (records are removed by the store).</summary>
    /// <param name="cancellationToken">Cancels the removal.</param>
    protected virtual Task ClearIndexAsync(CancellationToken cancellationToken) => _cache.RemoveAsync(Key(IndexKey), cancellationToken);

    private void OnQueueDropped(RequestRecord record)
    {
        _pending.TryRemove(new KeyValuePair<string, RequestRecord>(record.Id, record));
        CountDropped(1, outage: false);
    }

    private void CountDropped(long count, bool outage)
    {
        Interlocked.Add(ref _droppedTotal, count);
        Interlocked.Add(ref outage ? ref _droppedInOutage : ref _droppedQueueFull, count);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<RequestRecord>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            try
            {
                if (IsInBackoff())
                {
                    CountDropped(batch.Count, outage: true);
                    continue;
                }

                await WriteBatchAsync(batch).ConfigureAwait(false);
            }
            catch (ToolbarStoreUnavailableException)
            {
                CountDropped(batch.Count, outage: true);
            }
            catch (Exception ex)
            {
                Log.StoreFailed(_logger, "add", ex);
                Interlocked.Add(ref _droppedTotal, batch.Count);
            }
            finally
            {
                foreach (var record in batch)
                {
                    _pending.TryRemove(new KeyValuePair<string, RequestRecord>(record.Id, record));
                }

                WarnOfDrops();
            }
        }
    }

    private async Task WriteBatchAsync(List<RequestRecord> batch)
    {
        var now = DateTimeOffset.UtcNow;
        var snapshots = new Dictionary<string, SharedSnapshot>(StringComparer.Ordinal);
        var records = new List<StoredWrite>(batch.Count);
        var entries = new List<StoredSummary>(batch.Count);
        foreach (var record in batch)
        {
            byte[] json;
            try
            {
                json = RecordSerializer.Serialize(record, _runtime, snapshots);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One record that cannot be written must not cost the others theirs.
                Log.StoreFailed(_logger, "add", ex);
                Interlocked.Increment(ref _droppedTotal);
                continue;
            }

            records.Add(new StoredWrite(RecordKey(record.Id), json, now + _lifetime));
            entries.Add(new StoredSummary
            {
                Id = record.Id,
                Method = record.Method,
                Path = record.Path,
                QueryString = record.QueryString,
                StatusCode = record.StatusCode,
                DurationMs = Math.Round(record.DurationMs, 2),
                StartedAt = record.StartedAt,
                ContentType = record.ContentType,
                IsAjax = record.IsAjax,
                GrpcStatus = record.GrpcStatus,
                GrpcMessage = record.GrpcMessage,
                Bytes = json.Length,
                // Never null, so that readers of the list need not fetch the record to learn it has no badges.
                Badges = RecordSerializer.Badges(record, _runtime) ?? [],
            });
        }

        if (records.Count == 0)
        {
            return;
        }

        // Snapshots first: a record is never readable before what it refers to.
        var writes = SnapshotWrites(snapshots.Values, now);
        writes.AddRange(records);
        await CallAsync(async () =>
        {
            await WriteAsync(writes, CancellationToken.None).ConfigureAwait(false);
            return true;
        }, "add", CancellationToken.None).ConfigureAwait(false);
        MarkSnapshotsWritten(writes);

        var evicted = await CallAsync(() => AddToIndexAsync(entries, CancellationToken.None), "add", CancellationToken.None).ConfigureAwait(false);
        if (evicted.Count > 0)
        {
            await CallAsync(async () =>
            {
                await RemoveAsync([.. evicted.Select(e => RecordKey(e.Id))], CancellationToken.None).ConfigureAwait(false);
                return true;
            }, "add", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The snapshots to (re)write with a batch: those this instance has not written within the refresh interval. Each
    /// lives the record lifetime plus that interval, so it outlives every record written until its next rewrite.
    /// </summary>
    private List<StoredWrite> SnapshotWrites(IEnumerable<SharedSnapshot> snapshots, DateTimeOffset now)
    {
        var writes = new List<StoredWrite>();
        foreach (var snapshot in snapshots)
        {
            if (_snapshotWrittenAt.TryGetValue(snapshot.Hash, out var at) && now.UtcTicks - at < _snapshotRefresh.Ticks)
            {
                continue;
            }

            var json = snapshot.Json.ToArray();
            writes.Add(new StoredWrite(SnapshotKey(snapshot.Hash), json, now + _lifetime + _snapshotRefresh));
            RememberSnapshot(snapshot.Hash, json);
        }

        return writes;
    }

    private void MarkSnapshotsWritten(List<StoredWrite> writes)
    {
        var now = DateTime.UtcNow.Ticks;
        var prefix = Key(SnapshotKeyPart);
        foreach (var write in writes)
        {
            if (write.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                _snapshotWrittenAt[write.Key[prefix.Length..]] = now;
            }
        }
    }

    private void RememberSnapshot(string hash, byte[] json)
    {
        if (_snapshotJson.Count >= 64)
        {
            _snapshotJson.Clear();
        }

        _snapshotJson[hash] = json;
    }

    /// <summary>A stored record read back, with the snapshots it refers to fetched in one call.</summary>
    private async Task<(RequestRecord Record, int Missing)> ReadRecordAsync(byte[] json, string operation, CancellationToken cancellationToken)
    {
        var stored = RecordSerializer.Parse(json);
        Dictionary<string, byte[]>? snapshots = null;
        var missing = 0;
        if (stored.Snapshots is { Count: > 0 } hashes)
        {
            snapshots = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var unknown = new List<string>();
            foreach (var hash in hashes)
            {
                if (_snapshotJson.TryGetValue(hash, out var known))
                {
                    snapshots[hash] = known;
                }
                else
                {
                    unknown.Add(hash);
                }
            }

            if (unknown.Count > 0)
            {
                var values = await CallAsync(() => ReadAsync([.. unknown.Select(SnapshotKey)], cancellationToken), operation, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < unknown.Count; i++)
                {
                    // Only JSON whose hash matches is trusted as the snapshot.
                    if (values[i] is { } value && SharedSnapshot.HashOf(value) == unknown[i])
                    {
                        snapshots[unknown[i]] = value;
                        RememberSnapshot(unknown[i], value);
                    }
                    else
                    {
                        missing++;
                    }
                }
            }
        }

        return (RecordSerializer.Build(stored, json.Length, _runtime, snapshots), missing);
    }

    /// <summary>Drops the oldest entries beyond the count and byte bounds (keeping at least the newest).</summary>
    private List<StoredSummary> Trim(List<StoredSummary> index)
    {
        var evicted = new List<StoredSummary>();
        var total = 0L;
        foreach (var entry in index)
        {
            total += entry.Bytes;
        }

        while (index.Count > 1 && (index.Count > _maxRequests || total > _maxBytes))
        {
            var oldest = index[^1];
            index.RemoveAt(index.Count - 1);
            total -= oldest.Bytes;
            evicted.Add(oldest);
        }

        return evicted;
    }

    private void WarnOfDrops()
    {
        if (Interlocked.Read(ref _droppedQueueFull) == 0)
        {
            return;
        }

        var now = DateTime.UtcNow.Ticks;
        var last = Interlocked.Read(ref _lastDropWarningTicks);
        if (last != 0 && now - last < s_dropWarningInterval.Ticks)
        {
            return;
        }

        Interlocked.Exchange(ref _lastDropWarningTicks, now);
        var seconds = last == 0 ? (int)s_dropWarningInterval.TotalSeconds : (int)TimeSpan.FromTicks(now - last).TotalSeconds;
        StoreLog.Dropped(_logger, Interlocked.Exchange(ref _droppedQueueFull, 0), seconds, QueueCapacity);
    }

    /// <summary>Calls the cache unless it failed moments ago; turns its failures into <see cref="ToolbarStoreUnavailableException"/>.</summary>
    private async Task<T> CallAsync<T>(Func<Task<T>> call, string operation, CancellationToken cancellationToken)
    {
        if (IsInBackoff())
        {
            throw Unavailable(null);
        }

        try
        {
            var result = await call().ConfigureAwait(false);
            if (Interlocked.Exchange(ref _down, 0) == 1)
            {
                StoreLog.Recovered(_logger, Interlocked.Exchange(ref _droppedInOutage, 0));
            }

            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Interlocked.Exchange(ref _downUntilTicks, DateTime.UtcNow.Add(s_retryAfter).Ticks);
            // The server may come back empty (a restart): write every snapshot again once it answers.
            _snapshotWrittenAt.Clear();
            if (Interlocked.Exchange(ref _down, 1) == 0)
            {
                // Logged once per outage, not per request.
                StoreLog.Unavailable(_logger, operation, ex);
            }

            throw Unavailable(ex);
        }
    }

    private bool IsInBackoff() => Volatile.Read(ref _down) == 1 && DateTime.UtcNow.Ticks < Interlocked.Read(ref _downUntilTicks);

    private static ToolbarStoreUnavailableException Unavailable(Exception? inner)
    {
        const string message = "The toolbar's record store (distributed cache) is unavailable. The app keeps serving; requests made meanwhile are not recorded.";
        return inner is null ? new ToolbarStoreUnavailableException(message) : new ToolbarStoreUnavailableException(message, inner);
    }

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
