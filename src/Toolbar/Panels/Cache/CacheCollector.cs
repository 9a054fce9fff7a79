using System.Collections.Concurrent;
using System.Diagnostics;

namespace Toolbar.Panels.Cache;

/// <summary>
/// One per app (a DI singleton): what the instrumented caches of the app report to. It knows the app's cache
/// panel, so a call finds its request's state through the ambient <see cref="RequestRecord.Current"/> and the
/// panel, and does nothing when no tracked request runs.
/// </summary>
internal sealed class CacheCollector(SecretMasker masker)
{
    private const int MaxRecentKeys = 1024;

    // Keys compared as the cache compares them (Equals), so a key object is never turned into text here.
    private readonly ConcurrentDictionary<(object Key, string Operation), (StackTrace Stack, long Taken)> _recentStacks = new();

    // Set while HybridCache works for the app, so the memory and distributed calls it makes are marked as its own.
    private static readonly AsyncLocal<string?> s_via = new();

    /// <summary>The app's cache panel, set when the toolbar creates it.</summary>
    public CachePanel? Panel { get; set; }

    public SecretMasker Masker { get; } = masker;

    /// <summary>The state of the tracked request running here, or <c>null</c> (then callers must do nothing).</summary>
    public CacheState? Current
    {
        get
        {
            var panel = Panel;
            if (panel is null || panel.Index < 0)
            {
                return null;
            }

            return RequestRecord.Current?.FindState<CacheState>();
        }
    }

    /// <summary>The cache working on the app's behalf on this execution context, if any.</summary>
    public static string? Via => s_via.Value;

    /// <summary>Marks the calls made until the returned value is disposed as made by <paramref name="via"/>.</summary>
    public static ViaScope EnterVia(string? via)
    {
        var previous = s_via.Value;
        s_via.Value = via;
        return new ViaScope(previous);
    }

    /// <summary>
    /// The raw stack of the caller (resolved only if the record is read). A stack is the most expensive thing the
    /// panel collects, so the same operation on a key seen within the last second reuses the stack taken then (it
    /// is nearly always made by the same code), as the SQL panel does for statements.
    /// </summary>
    public StackTrace CaptureStack(object? key, string operation)
    {
        if (key is null)
        {
            return new StackTrace(1, false);
        }

        var now = Stopwatch.GetTimestamp();
        if (_recentStacks.TryGetValue((key, operation), out var seen) && now - seen.Taken < Stopwatch.Frequency)
        {
            return seen.Stack;
        }

        var stack = new StackTrace(1, false);
        // Bounded: keys can be endless (ids); a full table starts over rather than keep stale stacks forever.
        if (_recentStacks.Count >= MaxRecentKeys)
        {
            _recentStacks.Clear();
        }

        _recentStacks[(key, operation)] = (stack, now);

        return stack;
    }

    public void Record(CacheState state, string backend, string operation, object? key, bool? hit, long? size, long start, StackTrace? stack)
    {
        var end = Stopwatch.GetTimestamp();
        try
        {
            state.Add(new CacheCallRecord(backend, operation, CacheKeyText.From(key, Masker), hit, size, start, end, Via, stack));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Collection must never break the app's cache call.
        }
    }

    /// <summary>
    /// Runs a cache call that returns nothing: straight through outside a tracked request, timed and reported inside
    /// one (<paramref name="call"/> is static, so nothing is allocated for it).
    /// </summary>
    public void Call<TArg>(string backend, string operation, object key, long? size, TArg arg, Action<TArg> call)
    {
        var state = Current;
        if (state is null)
        {
            call(arg);
            return;
        }

        var stack = CaptureStack(key, operation);
        var start = Stopwatch.GetTimestamp();
        call(arg);
        Record(state, backend, operation, key, null, size, start, stack);
    }

    /// <summary>Restores the previous "on behalf of" marker.</summary>
    internal readonly struct ViaScope(string? previous) : IDisposable
    {
        public void Dispose() => s_via.Value = previous;
    }
}
