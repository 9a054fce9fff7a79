using System.Diagnostics;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace Toolbar.Panels.Cache;

/// <summary>A memory cache entry that reports its commit (the <c>set</c>) when the app disposes it.</summary>
internal sealed class InstrumentedCacheEntry(ICacheEntry inner, CacheState state, CacheCollector collector, StackTrace stack) : ICacheEntry
{
    private bool _disposed;

    public object Key => inner.Key;

    public object? Value
    {
        get => inner.Value;
        set => inner.Value = value;
    }

    public DateTimeOffset? AbsoluteExpiration
    {
        get => inner.AbsoluteExpiration;
        set => inner.AbsoluteExpiration = value;
    }

    public TimeSpan? AbsoluteExpirationRelativeToNow
    {
        get => inner.AbsoluteExpirationRelativeToNow;
        set => inner.AbsoluteExpirationRelativeToNow = value;
    }

    public TimeSpan? SlidingExpiration
    {
        get => inner.SlidingExpiration;
        set => inner.SlidingExpiration = value;
    }

    public IList<IChangeToken> ExpirationTokens => inner.ExpirationTokens;

    public IList<PostEvictionCallbackRegistration> PostEvictionCallbacks => inner.PostEvictionCallbacks;

    public CacheItemPriority Priority
    {
        get => inner.Priority;
        set => inner.Priority = value;
    }

    public long? Size
    {
        get => inner.Size;
        set => inner.Size = value;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            inner.Dispose();
            return;
        }

        _disposed = true;
        var start = Stopwatch.GetTimestamp();
        inner.Dispose();
        collector.Record(state, InstrumentedMemoryCache.Backend, "set", inner.Key, null, InstrumentedMemoryCache.SizeOf(inner.Value), start, stack);
    }
}
