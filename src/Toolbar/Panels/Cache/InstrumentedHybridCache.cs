using System.Diagnostics;
using Microsoft.Extensions.Caching.Hybrid;

namespace Toolbar.Panels.Cache;

/// <summary>
/// The app's <see cref="HybridCache"/> with every call reported to the cache panel while a tracked request runs.
/// A <c>get-or-create</c> is a hit when the app's factory did not run. The memory and distributed calls HybridCache
/// makes for it are listed as made "via hybrid". The abstract type ships with ASP.NET Core, so this costs users
/// who never register a HybridCache nothing.
/// </summary>
internal sealed class InstrumentedHybridCache(HybridCache inner, CacheCollector collector, bool ownsInner) : HybridCache, IInstrumentedCache, IDisposable
{
    public const string Backend = "hybrid";

    public object Inner => inner;

    public override ValueTask<T> GetOrCreateAsync<TState, T>(
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options = null,
        IEnumerable<string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        var cacheState = collector.Current;
        return cacheState is null
            ? inner.GetOrCreateAsync(key, state, factory, options, tags, cancellationToken)
            : GetOrCreateTracked(cacheState, key, state, factory, options, tags, cancellationToken);
    }

    public override ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        var cacheState = collector.Current;
        return cacheState is null ? inner.SetAsync(key, value, options, tags, cancellationToken) : Tracked(cacheState, "set", key, () => inner.SetAsync(key, value, options, tags, cancellationToken), InstrumentedMemoryCache.SizeOf(value));
    }

    public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        var cacheState = collector.Current;
        return cacheState is null ? inner.RemoveAsync(key, cancellationToken) : Tracked(cacheState, "remove", key, () => inner.RemoveAsync(key, cancellationToken), null);
    }

    public override ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        var cacheState = collector.Current;
        return cacheState is null ? inner.RemoveByTagAsync(tag, cancellationToken) : Tracked(cacheState, "evict-tag", tag, () => inner.RemoveByTagAsync(tag, cancellationToken), null);
    }

    public void Dispose()
    {
        if (ownsInner && inner is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private async ValueTask<T> GetOrCreateTracked<TState, T>(
        CacheState cacheState,
        string key,
        TState state,
        Func<TState, CancellationToken, ValueTask<T>> factory,
        HybridCacheEntryOptions? options,
        IEnumerable<string>? tags,
        CancellationToken cancellationToken)
    {
        var stack = collector.CaptureStack(key, "get-or-create");
        var ran = new FactoryRun<TState, T>(state, factory);
        var start = Stopwatch.GetTimestamp();
        T result;
        using (CacheCollector.EnterVia(Backend))
        {
            result = await inner.GetOrCreateAsync(key, ran, static (run, token) => run.Invoke(token), options, tags, cancellationToken).ConfigureAwait(false);
        }

        collector.Record(cacheState, Backend, "get-or-create", key, !ran.Ran, InstrumentedMemoryCache.SizeOf(result), start, stack);
        return result;
    }

    private async ValueTask Tracked(CacheState cacheState, string operation, string key, Func<ValueTask> call, long? size)
    {
        var stack = collector.CaptureStack(key, operation);
        var start = Stopwatch.GetTimestamp();
        using (CacheCollector.EnterVia(Backend))
        {
            await call().ConfigureAwait(false);
        }

        collector.Record(cacheState, Backend, operation, key, null, size, start, stack);
    }

    /// <summary>The app's factory, noting whether HybridCache had to run it (a miss).</summary>
    private sealed class FactoryRun<TState, T>(TState state, Func<TState, CancellationToken, ValueTask<T>> factory)
    {
        public bool Ran { get; private set; }

        public ValueTask<T> Invoke(CancellationToken token)
        {
            Ran = true;

            // The app's factory is the app's own work, not the cache's: its own cache calls are not "via hybrid".
            using (CacheCollector.EnterVia(null))
            {
                return factory(state, token);
            }
        }
    }
}
