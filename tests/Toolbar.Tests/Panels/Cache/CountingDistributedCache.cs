using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;

namespace Toolbar.Tests.Panels.Cache;

/// <summary>An app's own distributed cache that counts the calls it receives: the independent truth for the panel's list.</summary>
public sealed class CountingDistributedCache : IBufferDistributedCache, IDisposable
{
    private readonly Dictionary<string, byte[]> _values = [];

    public int Gets { get; private set; }

    public int Sets { get; private set; }

    public int Removes { get; private set; }

    public bool Disposed { get; private set; }

    public byte[]? Get(string key)
    {
        Gets++;
        return _values.GetValueOrDefault(key);
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        Sets++;
        _values[key] = value;
    }

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Set(key, value, options);
        return Task.CompletedTask;
    }

    public void Refresh(string key)
    {
    }

    public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

    public void Remove(string key)
    {
        Removes++;
        _values.Remove(key);
    }

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        Remove(key);
        return Task.CompletedTask;
    }

    public bool TryGet(string key, IBufferWriter<byte> destination)
    {
        var value = Get(key);
        if (value is null)
        {
            return false;
        }

        destination.Write(value);
        return true;
    }

    public ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default) => ValueTask.FromResult(TryGet(key, destination));

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) => Set(key, value.ToArray(), options);

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Set(key, value, options);
        return ValueTask.CompletedTask;
    }

    public void Dispose() => Disposed = true;
}
