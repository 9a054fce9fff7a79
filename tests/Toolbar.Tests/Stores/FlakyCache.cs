using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Toolbar.Tests.Stores;

/// <summary>An in-process distributed cache that can be switched "down", as a Redis outage would look.</summary>
internal sealed class FlakyCache : IDistributedCache
{
    private readonly MemoryDistributedCache _inner = new(Options.Create(new MemoryDistributedCacheOptions()));

    public bool Down { get; set; }

    public int Calls { get; private set; }

    public byte[]? Get(string key) => Check(() => _inner.Get(key));

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Check(() => _inner.GetAsync(key, token));

    public void Refresh(string key) => Check(() => { _inner.Refresh(key); return 0; });

    public Task RefreshAsync(string key, CancellationToken token = default) => Check(() => _inner.RefreshAsync(key, token));

    public void Remove(string key) => Check(() => { _inner.Remove(key); return 0; });

    public Task RemoveAsync(string key, CancellationToken token = default) => Check(() => _inner.RemoveAsync(key, token));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Check(() => { _inner.Set(key, value, options); return 0; });

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        Check(() => _inner.SetAsync(key, value, options, token));

    private T Check<T>(Func<T> call)
    {
        Calls++;
        return Down ? throw new InvalidOperationException("cache is down") : call();
    }
}
