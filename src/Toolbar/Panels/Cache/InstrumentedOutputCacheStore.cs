using System.Diagnostics;
using Microsoft.AspNetCore.OutputCaching;

namespace Toolbar.Panels.Cache;

/// <summary>
/// The app's <see cref="IOutputCacheStore"/> with every call reported to the cache panel while a tracked request
/// runs: the output cache middleware's lookups (hit or miss), stores and evictions.
/// </summary>
internal class InstrumentedOutputCacheStore(IOutputCacheStore inner, CacheCollector collector, bool ownsInner) : IOutputCacheStore, IInstrumentedCache, IDisposable
{
    public const string Backend = "output";

    public object Inner => inner;

    protected CacheCollector Collector => collector;

    /// <summary>Wraps <paramref name="inner"/>, keeping its optional <see cref="IOutputCacheBufferStore"/> side.</summary>
    public static InstrumentedOutputCacheStore Create(IOutputCacheStore inner, CacheCollector collector, bool ownsInner) =>
        inner is IOutputCacheBufferStore ? new InstrumentedOutputCacheBufferStore(inner, collector, ownsInner) : new InstrumentedOutputCacheStore(inner, collector, ownsInner);

    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        var state = collector.Current;
        return state is null ? inner.EvictByTagAsync(tag, cancellationToken) : EvictTracked(state, tag, cancellationToken);
    }

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var state = collector.Current;
        return state is null ? inner.GetAsync(key, cancellationToken) : GetTracked(state, key, cancellationToken);
    }

    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var state = collector.Current;
        return state is null ? inner.SetAsync(key, value, tags, validFor, cancellationToken) : SetTracked(state, key, value, tags, validFor, cancellationToken);
    }

    public void Dispose()
    {
        if (ownsInner && inner is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private async ValueTask EvictTracked(CacheState state, string tag, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        await inner.EvictByTagAsync(tag, cancellationToken).ConfigureAwait(false);
        collector.Record(state, Backend, "evict-tag", tag, null, null, start, collector.CaptureStack(tag, "evict-tag"));
    }

    private async ValueTask<byte[]?> GetTracked(CacheState state, string key, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var value = await inner.GetAsync(key, cancellationToken).ConfigureAwait(false);
        collector.Record(state, Backend, "get", key, value is not null, value?.LongLength, start, null);
        return value;
    }

    private async ValueTask SetTracked(CacheState state, string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        await inner.SetAsync(key, value, tags, validFor, cancellationToken).ConfigureAwait(false);
        collector.Record(state, Backend, "set", key, null, value?.LongLength, start, null);
    }
}
