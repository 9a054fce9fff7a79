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
/// <see cref="ToolbarOptions.MaxRequests"/> and <see cref="ToolbarOptions.MaxStoreBytes"/>.
/// </summary>
/// <remarks>
/// The request never waits for the cache: <see cref="AddAsync"/> queues the record on a bounded channel and a
/// single background writer serializes and writes it. Until written, the record is served from memory, so the
/// page's own toolbar loads at once. When the cache fails, the store reports
/// <see cref="ToolbarStoreUnavailableException"/> for a short while without calling it again (so no request
/// waits on a dead server), logs the outage once, and logs the recovery when the cache answers again.
/// Over a plain <see cref="IDistributedCache"/> the recent-list update is read-modify-write: instances writing in
/// the same instant may drop one another's list entry (the record itself stays readable by id). A store over a
/// server with atomic list operations (the <c>Toolbar.Redis</c> package) overrides <see cref="ReadIndexAsync"/>,
/// <see cref="AddToIndexAsync"/> and <see cref="ClearIndexAsync"/> to keep the list exact.
/// </remarks>
public class DistributedToolbarStore : IToolbarStore, IAsyncDisposable, IDisposable
{
    internal const string IndexKey = "index";
    private const int QueueCapacity = 256;
    private static readonly TimeSpan s_retryAfter = TimeSpan.FromSeconds(2);

    private readonly IDistributedCache _cache;
    private readonly ToolbarRuntime _runtime;
    private readonly ILogger _logger;
    private readonly IDisposable? _ownedCache;
    private readonly int _maxRequests;
    private readonly long _maxBytes;
    private readonly TimeSpan _lifetime;
    private readonly string _keyPrefix;
    private readonly Channel<RequestRecord> _queue;
    private readonly ConcurrentDictionary<string, RequestRecord> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _indexLock = new(1, 1);
    private readonly Task _writer;
    private long _downUntilTicks;
    private int _down;
    private long _dropped;
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
        _queue = Channel.CreateBounded<RequestRecord>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        // One writer: several at once wrote four times as many records to Redis under load, but on a starved machine
        // their calls hit the client's short timeout together and the store went into its back-off (bench/RESULTS.md).
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
    public ValueTask AddAsync(RequestRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (IsInBackoff())
        {
            // The cache failed moments ago: do not even queue (the writer probes again once the back-off ends).
            Interlocked.Increment(ref _dropped);
            return ValueTask.CompletedTask;
        }

        _pending[record.Id] = record;
        if (!_queue.Writer.TryWrite(record))
        {
            // Full queue (the cache is slower than the app): drop rather than make the request wait.
            _pending.TryRemove(record.Id, out _);
            Interlocked.Increment(ref _dropped);
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

        var bytes = await CallAsync(() => _cache.GetAsync(RecordKey(id), cancellationToken), "get", cancellationToken);
        return bytes is null ? null : RecordSerializer.Deserialize(bytes, _runtime);
    }

    /// <inheritdoc />
    public async ValueTask<bool> UpdateAsync(string id, Func<RequestRecord, bool> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(update);
        // A record still queued is about to be serialized by the writer: a change to the object now could be
        // written or not. Wait (briefly: the writer is one cache call per record) and update the stored copy.
        for (var waited = 0; _pending.ContainsKey(id) && !_writer.IsCompleted && waited < 200; waited++)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }

        var bytes = await CallAsync(() => _cache.GetAsync(RecordKey(id), cancellationToken), "update", cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return false;
        }

        var record = RecordSerializer.Deserialize(bytes, _runtime);
        if (record.StartedAt + _lifetime <= DateTimeOffset.UtcNow || !update(record))
        {
            return false;
        }

        var updated = RecordSerializer.Serialize(record, _runtime);
        // The record keeps the expiry it was stored with: an update does not make it live longer than its list entry.
        var expiry = new DistributedCacheEntryOptions { AbsoluteExpiration = record.StartedAt + _lifetime };
        await CallAsync(async () =>
        {
            await _cache.SetAsync(RecordKey(id), updated, expiry, cancellationToken).ConfigureAwait(false);
            return true;
        }, "update", cancellationToken).ConfigureAwait(false);
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
            foreach (var entry in index)
            {
                await _cache.RemoveAsync(RecordKey(entry.Id), cancellationToken);
            }

            return true;
        }, "clear", cancellationToken);
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
    /// Adds <paramref name="entry"/> to the recent list (replacing an entry with its id), drops expired entries and
    /// trims the oldest beyond <see cref="MaxRequests"/> and <see cref="MaxBytes"/> (keeping at least the newest).
    /// The default is read-modify-write of one cache entry, exact within this instance only.
    /// </summary>
    /// <param name="entry">The new entry; its record is already written.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>The entries trimmed from the list: the store then removes their records.</returns>
    protected virtual async Task<IReadOnlyList<StoredSummary>> AddToIndexAsync(StoredSummary entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _indexLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var index = new List<StoredSummary>(await ReadIndexAsync(cancellationToken).ConfigureAwait(false));
            index.RemoveAll(e => e.Id == entry.Id || e.StartedAt + _lifetime <= DateTimeOffset.UtcNow);
            index.Insert(0, entry);
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

    private async Task WriteLoopAsync()
    {
        await foreach (var record in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (IsInBackoff())
                {
                    Interlocked.Increment(ref _dropped);
                    continue;
                }

                await WriteAsync(record).ConfigureAwait(false);
            }
            catch (ToolbarStoreUnavailableException)
            {
                Interlocked.Increment(ref _dropped);
            }
            catch (Exception ex)
            {
                Log.StoreFailed(_logger, "add", ex);
            }
            finally
            {
                _pending.TryRemove(record.Id, out _);
            }
        }
    }

    private async Task WriteAsync(RequestRecord record)
    {
        var bytes = RecordSerializer.Serialize(record, _runtime);
        var entry = new StoredSummary
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
            Bytes = bytes.Length,
            // Never null, so that readers of the list need not fetch the record to learn it has no badges.
            Badges = RecordSerializer.Badges(record, _runtime) ?? [],
        };
        var expiry = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = _lifetime };
        await CallAsync(async () =>
        {
            await _cache.SetAsync(RecordKey(record.Id), bytes, expiry, CancellationToken.None).ConfigureAwait(false);
            return true;
        }, "add", CancellationToken.None).ConfigureAwait(false);

        var evicted = await CallAsync(() => AddToIndexAsync(entry, CancellationToken.None), "add", CancellationToken.None).ConfigureAwait(false);
        if (evicted.Count > 0)
        {
            await CallAsync(async () =>
            {
                foreach (var old in evicted)
                {
                    await _cache.RemoveAsync(RecordKey(old.Id), CancellationToken.None).ConfigureAwait(false);
                }

                return true;
            }, "add", CancellationToken.None).ConfigureAwait(false);
        }
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
                StoreLog.Recovered(_logger, Interlocked.Exchange(ref _dropped, 0));
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

    /// <summary>A cache key of the store: <see cref="KeyPrefix"/> plus <paramref name="name"/>.</summary>
    /// <param name="name">The key's own part.</param>
    protected string Key(string name) => _keyPrefix + name;

    /// <summary>The cache key of a record.</summary>
    /// <param name="id">The record id.</param>
    protected string RecordKey(string id) => _keyPrefix + "r:" + id;
}
