using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Caching.Distributed;

namespace Toolbar.Panels.Cache;

/// <summary>The instrumented wrapper of a distributed cache that also offers the buffer-based API (HybridCache prefers it).</summary>
internal sealed class InstrumentedBufferDistributedCache(IDistributedCache inner, CacheCollector collector, bool ownsInner)
    : InstrumentedDistributedCache(inner, collector, ownsInner), IBufferDistributedCache
{
    private readonly IBufferDistributedCache _buffer = (IBufferDistributedCache)inner;

    public bool TryGet(string key, IBufferWriter<byte> destination)
    {
        var state = Collector.Current;
        if (state is null)
        {
            return _buffer.TryGet(key, destination);
        }

        var stack = Collector.CaptureStack(key, "get");
        var start = Stopwatch.GetTimestamp();
        var hit = _buffer.TryGet(key, destination);
        Collector.Record(state, Backend, "get", key, hit, null, start, stack);
        return hit;
    }

    public ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        var state = Collector.Current;
        return state is null ? _buffer.TryGetAsync(key, destination, token) : TryGetTracked(state, key, destination, token);
    }

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        var state = Collector.Current;
        return state is null ? _buffer.SetAsync(key, value, options, token) : SetTracked(state, key, value, options, token);
    }

    private async ValueTask<bool> TryGetTracked(CacheState state, string key, IBufferWriter<byte> destination, CancellationToken token)
    {
        var stack = Collector.CaptureStack(key, "get");
        var start = Stopwatch.GetTimestamp();
        var hit = await _buffer.TryGetAsync(key, destination, token).ConfigureAwait(false);
        Collector.Record(state, Backend, "get", key, hit, null, start, stack);
        return hit;
    }

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options)
    {
        var state = Collector.Current;
        if (state is null)
        {
            _buffer.Set(key, value, options);
            return;
        }

        var stack = Collector.CaptureStack(key, "set");
        var start = Stopwatch.GetTimestamp();
        _buffer.Set(key, value, options);
        Collector.Record(state, Backend, "set", key, null, value.Length, start, stack);
    }

    private async ValueTask SetTracked(CacheState state, string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token)
    {
        var stack = Collector.CaptureStack(key, "set");
        var start = Stopwatch.GetTimestamp();
        await _buffer.SetAsync(key, value, options, token).ConfigureAwait(false);
        Collector.Record(state, Backend, "set", key, null, value.Length, start, stack);
    }
}
