using System.Text.Json;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Toolbar.Stores;

namespace Toolbar.Redis;

/// <summary>
/// Records in Redis, shared by every instance of the app. Records are JSON values with an expiry; the recent list is
/// a sorted set (by start time) plus a hash of summaries, changed only by one server-side script per record, so
/// instances writing at the same instant never drop one another's entries and the bounds hold exactly.
/// </summary>
public sealed class RedisToolbarStore : DistributedToolbarStore
{
    // KEYS: index (sorted set id -> start ms), entries (hash id -> summary JSON), bytes (total of stored record sizes).
    // ARGV: id, score, summary JSON, record bytes, max count, max bytes, expired-before score, key lifetime ms.
    // Returns the ids trimmed from the list (their records are removed by the caller).
    private const string AddScript = """
        local index, entries, total = KEYS[1], KEYS[2], KEYS[3]
        local id, score, json, bytes = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
        local maxCount, maxBytes, expiredBefore, ttl = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
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
        if redis.call('HEXISTS', entries, id) == 1 then drop(id, false) end
        for _, old in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', '(' .. expiredBefore)) do drop(old, false) end
        redis.call('ZADD', index, score, id)
        redis.call('HSET', entries, id, json)
        redis.call('INCRBY', total, bytes)
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
    protected override async Task<IReadOnlyList<StoredSummary>> AddToIndexAsync(StoredSummary entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var now = DateTimeOffset.UtcNow;
        var json = JsonSerializer.SerializeToUtf8Bytes(entry, ToolbarPanel.JsonOptions);
        var result = await _connection.GetDatabase().ScriptEvaluateAsync(AddScript, [_index, _entries, _bytes],
        [
            entry.Id,
            entry.StartedAt.ToUnixTimeMilliseconds(),
            json,
            entry.Bytes,
            MaxRequests,
            MaxBytes,
            (now - Lifetime).ToUnixTimeMilliseconds(),
            (long)Lifetime.TotalMilliseconds,
        ]).ConfigureAwait(false);
        var evicted = (RedisResult[]?)result ?? [];
        return [.. evicted.Select(id => new StoredSummary { Id = (string)id! })];
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
