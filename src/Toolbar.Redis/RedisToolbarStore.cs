using System.Text.Json;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Toolbar.Stores;

namespace Toolbar.Redis;

/// <summary>
/// Records in Redis, shared by every instance of the app. Records and shared snapshots are string values with an
/// expiry; the recent list is a sorted set (by start time) plus a hash of summaries, changed only by one server-side
/// script per batch of records, so instances writing at the same instant never drop one another's entries and the
/// bounds hold exactly. A batch is written in two pipelined round trips (values, then the list), whatever its size.
/// </summary>
public sealed class RedisToolbarStore : DistributedToolbarStore
{
    // KEYS: index (sorted set id -> start ms), entries (hash id -> summary JSON), bytes (total of stored record sizes).
    // ARGV: max count, max bytes, expired-before score, key lifetime ms, then per new entry: id, score, summary JSON, record bytes.
    // Returns the ids trimmed from the list (their records are removed by the caller).
    private const string AddScript = """
        local index, entries, total = KEYS[1], KEYS[2], KEYS[3]
        local maxCount, maxBytes, expiredBefore, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
        local evicted = {}
        local function drop(old, report)
          local entry = redis.call('HGET', entries, old)
          if entry then
            local ok, decoded = pcall(cjson.decode, entry)
            if ok and decoded.bytes then redis.call('DECRBY', total, decoded.bytes) end
          end
          redis.call('HDEL', entries, old)
          redis.call('ZREM', index, old)
          if report then table.insert(evicted, old) end
        end
        for _, old in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', '(' .. expiredBefore)) do drop(old, false) end
        for i = 5, #ARGV, 4 do
          local id, score, json, bytes = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2], tonumber(ARGV[i + 3])
          if redis.call('HEXISTS', entries, id) == 1 then drop(id, false) end
          redis.call('ZADD', index, score, id)
          redis.call('HSET', entries, id, json)
          redis.call('INCRBY', total, bytes)
        end
        while redis.call('ZCARD', index) > 1 and (redis.call('ZCARD', index) > maxCount or tonumber(redis.call('GET', total) or '0') > maxBytes) do
          drop(redis.call('ZRANGE', index, 0, 0)[1], true)
        end
        redis.call('PEXPIRE', index, ttl)
        redis.call('PEXPIRE', entries, ttl)
        redis.call('PEXPIRE', total, ttl)
        return evicted
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly RedisKey _index;
    private readonly RedisKey _entries;
    private readonly RedisKey _bytes;

    /// <summary>Creates the store over <paramref name="connection"/>, which it owns and disposes.</summary>
    /// <param name="connection">A connection to the Redis server.</param>
    /// <param name="serializer">The app's record serializer (a service).</param>
    /// <param name="logger">Logs outages (once each) and recoveries.</param>
    /// <param name="keyPrefix">Prefix of every key the store writes.</param>
    public RedisToolbarStore(IConnectionMultiplexer connection, RequestRecordSerializer serializer, ILogger<DistributedToolbarStore> logger, string keyPrefix = "toolbar:")
        : this(connection, CreateCache(connection), serializer, logger, keyPrefix)
    {
    }

    private RedisToolbarStore(IConnectionMultiplexer connection, RedisCache cache, RequestRecordSerializer serializer, ILogger<DistributedToolbarStore> logger, string keyPrefix)
        : base(cache, serializer, logger, new Owned(cache, connection), keyPrefix)
    {
        _connection = connection;
        _index = Key("list");
        _entries = Key("list:entries");
        _bytes = Key("list:bytes");
    }

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<StoredSummary>> ReadIndexAsync(CancellationToken cancellationToken)
    {
        var database = _connection.GetDatabase();
        var ids = await database.SortedSetRangeByRankAsync(_index, 0, -1, Order.Descending).ConfigureAwait(false);
        if (ids.Length == 0)
        {
            return [];
        }

        var values = await database.HashGetAsync(_entries, ids).ConfigureAwait(false);
        var list = new List<StoredSummary>(values.Length);
        foreach (var value in values)
        {
            if (value.IsNullOrEmpty)
            {
                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize<StoredSummary>((byte[])value!, ToolbarPanel.JsonOptions) is { } entry)
                {
                    list.Add(entry);
                }
            }
            catch (JsonException)
            {
                // An entry written by an incompatible version: leave it out rather than fail the list.
            }
        }

        return list;
    }

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<StoredSummary>> AddToIndexAsync(IReadOnlyList<StoredSummary> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var now = DateTimeOffset.UtcNow;
        var args = new RedisValue[4 + (entries.Count * 4)];
        args[0] = MaxRequests;
        args[1] = MaxBytes;
        args[2] = (now - Lifetime).ToUnixTimeMilliseconds();
        args[3] = (long)Lifetime.TotalMilliseconds;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            args[4 + (i * 4)] = entry.Id;
            args[5 + (i * 4)] = entry.StartedAt.ToUnixTimeMilliseconds();
            args[6 + (i * 4)] = JsonSerializer.SerializeToUtf8Bytes(entry, ToolbarPanel.JsonOptions);
            args[7 + (i * 4)] = entry.Bytes;
        }

        var result = await _connection.GetDatabase().ScriptEvaluateAsync(AddScript, [_index, _entries, _bytes], args).ConfigureAwait(false);
        var evicted = (RedisResult[]?)result ?? [];
        return [.. evicted.Select(id => new StoredSummary { Id = (string)id! })];
    }

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<byte[]?>> ReadAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        // One MGET for all of them.
        var values = await _connection.GetDatabase().StringGetAsync([.. keys.Select(k => (RedisKey)k)]).ConfigureAwait(false);
        return [.. values.Select(v => v.IsNull ? null : (byte[]?)v)];
    }

    /// <inheritdoc />
    protected override async Task WriteAsync(IReadOnlyList<StoredWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        // Sent together, answered together: one round trip for the whole batch.
        var batch = _connection.GetDatabase().CreateBatch();
        var now = DateTimeOffset.UtcNow;
        var tasks = new Task[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            var ttl = write.ExpiresAt - now;
            tasks[i] = batch.StringSetAsync(write.Key, write.Json, ttl > TimeSpan.Zero ? ttl : TimeSpan.FromMilliseconds(1));
        }

        batch.Execute();
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override Task RemoveAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Count == 0 ? Task.CompletedTask : _connection.GetDatabase().KeyDeleteAsync([.. keys.Select(k => (RedisKey)k)]);
    }

    /// <inheritdoc />
    protected override Task ClearIndexAsync(CancellationToken cancellationToken) =>
        _connection.GetDatabase().KeyDeleteAsync([_index, _entries, _bytes]);

    private static RedisCache CreateCache(IConnectionMultiplexer connection) =>
        new(Options.Create(new RedisCacheOptions { ConnectionMultiplexerFactory = () => Task.FromResult(connection) }));

    // The cache and the connection the store created: disposed with it, cache first.
    private sealed class Owned(RedisCache cache, IConnectionMultiplexer connection) : IDisposable
    {
        public void Dispose()
        {
            cache.Dispose();
            connection.Dispose();
        }
    }
}
