using System.Diagnostics;
using Microsoft.Extensions.Caching.Memory;

namespace Toolbar.Panels.Cache;

/// <summary>
/// The app's <see cref="IMemoryCache"/> with every call reported to the cache panel while a tracked request runs.
/// Otherwise each call goes straight to the app's cache: one ambient read, nothing allocated.
/// </summary>
internal sealed class InstrumentedMemoryCache(IMemoryCache inner, CacheCollector collector, bool ownsInner) : IMemoryCache, IInstrumentedCache
{
    public const string Backend = "memory";

    public object Inner => inner;

    public bool TryGetValue(object key, out object? value)
    {
        var state = collector.Current;
        if (state is null)
        {
            return inner.TryGetValue(key, out value);
        }

        var stack = collector.CaptureStack(key, "get");
        var start = Stopwatch.GetTimestamp();
        var hit = inner.TryGetValue(key, out value);
        collector.Record(state, Backend, "get", key, hit, hit ? SizeOf(value) : null, start, stack);
        return hit;
    }

    public ICacheEntry CreateEntry(object key)
    {
        var entry = inner.CreateEntry(key);
        var state = collector.Current;

        // The value is known, and the entry committed, only when the app disposes the entry: report the set then.
        return state is null ? entry : new InstrumentedCacheEntry(entry, state, collector, collector.CaptureStack(key, "set"));
    }

    public void Remove(object key) =>
        collector.Call(Backend, "remove", key, null, (inner, key), static a => a.inner.Remove(a.key));

    public MemoryCacheStatistics? GetCurrentStatistics() => inner.GetCurrentStatistics();

    public void Dispose()
    {
        if (ownsInner)
        {
            inner.Dispose();
        }
    }

    /// <summary>Bytes of a value whose size is plain (strings, byte arrays); <c>null</c> for anything else.</summary>
    internal static long? SizeOf(object? value) => value switch
    {
        byte[] bytes => bytes.LongLength,
        string text => 2L * text.Length,
        ReadOnlyMemory<byte> memory => memory.Length,
        _ => null,
    };
}
