using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;

namespace Toolbar.Stores;

// The storage operations a store over a richer client overrides (Toolbar.Redis pipelines and scripts them).
public partial class DistributedToolbarStore
{
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
}
