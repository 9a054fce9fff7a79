using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.OutputCaching;

namespace Toolbar.Panels.Cache;

/// <summary>The instrumented wrapper of an output cache store that also offers the buffer-based API (the middleware prefers it).</summary>
internal sealed class InstrumentedOutputCacheBufferStore(IOutputCacheStore inner, CacheCollector collector, bool ownsInner)
    : InstrumentedOutputCacheStore(inner, collector, ownsInner), IOutputCacheBufferStore
{
    private readonly IOutputCacheBufferStore _buffer = (IOutputCacheBufferStore)inner;

    public ValueTask<bool> TryGetAsync(string key, PipeWriter destination, CancellationToken cancellationToken)
    {
        var state = Collector.Current;
        return state is null ? _buffer.TryGetAsync(key, destination, cancellationToken) : TryGetTracked(state, key, destination, cancellationToken);
    }

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, ReadOnlyMemory<string> tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var state = Collector.Current;
        return state is null ? _buffer.SetAsync(key, value, tags, validFor, cancellationToken) : SetTracked(state, key, value, tags, validFor, cancellationToken);
    }

    private async ValueTask<bool> TryGetTracked(CacheState state, string key, PipeWriter destination, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var hit = await _buffer.TryGetAsync(key, destination, cancellationToken).ConfigureAwait(false);
        Collector.Record(state, Backend, "get", key, hit, null, start, null);
        return hit;
    }

    private async ValueTask SetTracked(CacheState state, string key, ReadOnlySequence<byte> value, ReadOnlyMemory<string> tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        await _buffer.SetAsync(key, value, tags, validFor, cancellationToken).ConfigureAwait(false);
        Collector.Record(state, Backend, "set", key, null, value.Length, start, null);
    }
}
