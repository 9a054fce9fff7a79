using System.Diagnostics;
using Microsoft.Extensions.Caching.Distributed;

namespace Toolbar.Panels.Cache;

/// <summary>
/// The app's <see cref="IDistributedCache"/> (whatever the implementation) with every call reported to the cache
/// panel while a tracked request runs; a straight pass-through otherwise.
/// </summary>
internal class InstrumentedDistributedCache(IDistributedCache inner, CacheCollector collector, bool ownsInner) : IDistributedCache, IInstrumentedCache, IDisposable
{
    public const string Backend = "distributed";

    public object Inner => inner;

    protected CacheCollector Collector => collector;

    /// <summary>The app's cache as the buffer-based variant, when it is one.</summary>
    protected IBufferDistributedCache? BufferInner => inner as IBufferDistributedCache;

    /// <summary>Wraps <paramref name="inner"/>, keeping its optional <see cref="IBufferDistributedCache"/> side (HybridCache uses it).</summary>
    public static InstrumentedDistributedCache Create(IDistributedCache inner, CacheCollector collector, bool ownsInner) =>
        inner is IBufferDistributedCache ? new InstrumentedBufferDistributedCache(inner, collector, ownsInner) : new InstrumentedDistributedCache(inner, collector, ownsInner);

    public byte[]? Get(string key)
    {
        var state = collector.Current;
        if (state is null)
        {
            return inner.Get(key);
        }

        var stack = collector.CaptureStack(key, "get");
        var start = Stopwatch.GetTimestamp();
        var value = inner.Get(key);
        collector.Record(state, Backend, "get", key, value is not null, value?.LongLength, start, stack);
        return value;
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        var state = collector.Current;
        return state is null ? inner.GetAsync(key, token) : GetTracked(state, key, collector.CaptureStack(key, "get"), token);
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        collector.Call(Backend, "set", key, value?.LongLength, (inner, key, value, options), static a => a.inner.Set(a.key, a.value!, a.options));

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        var state = collector.Current;
        if (state is null)
        {
            return inner.SetAsync(key, value, options, token);
        }

        var stack = collector.CaptureStack(key, "set");
        var start = Stopwatch.GetTimestamp();
        return Timed(state, "set", key, value?.LongLength, inner.SetAsync(key, value!, options, token), start, stack);
    }

    public void Refresh(string key) =>
        collector.Call(Backend, "refresh", key, null, (inner, key), static a => a.inner.Refresh(a.key));

    public Task RefreshAsync(string key, CancellationToken token = default)
    {
        var state = collector.Current;
        if (state is null)
        {
            return inner.RefreshAsync(key, token);
        }

        var stack = collector.CaptureStack(key, "refresh");
        var start = Stopwatch.GetTimestamp();
        return Timed(state, "refresh", key, null, inner.RefreshAsync(key, token), start, stack);
    }

    public void Remove(string key) =>
        collector.Call(Backend, "remove", key, null, (inner, key), static a => a.inner.Remove(a.key));

    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        var state = collector.Current;
        if (state is null)
        {
            return inner.RemoveAsync(key, token);
        }

        var stack = collector.CaptureStack(key, "remove");
        var start = Stopwatch.GetTimestamp();
        return Timed(state, "remove", key, null, inner.RemoveAsync(key, token), start, stack);
    }

    public void Dispose()
    {
        if (ownsInner && inner is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private async Task<byte[]?> GetTracked(CacheState state, string key, StackTrace stack, CancellationToken token)
    {
        var start = Stopwatch.GetTimestamp();
        var value = await inner.GetAsync(key, token).ConfigureAwait(false);
        collector.Record(state, Backend, "get", key, value is not null, value?.LongLength, start, stack);
        return value;
    }

    // Kept out of the public methods so that the pass-through path has no async state machine.
    private async Task Timed(CacheState state, string operation, string key, long? size, Task call, long start, StackTrace stack)
    {
        await call.ConfigureAwait(false);
        collector.Record(state, Backend, operation, key, null, size, start, stack);
    }
}
