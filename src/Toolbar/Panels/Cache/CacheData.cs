namespace Toolbar.Panels.Cache;

/// <summary>Data of the cache panel: every cache call the request made, and what output caching did.</summary>
public sealed class CacheData
{
    /// <summary>The kept calls, in the order they started.</summary>
    public List<CacheCall> Calls { get; set; } = [];

    /// <summary>Lookups that found a value (calls made by another cache on the app's behalf excluded).</summary>
    public int Hits { get; set; }

    /// <summary>Lookups that found nothing (calls made by another cache on the app's behalf excluded).</summary>
    public int Misses { get; set; }

    /// <summary><see cref="Hits"/> / (<see cref="Hits"/> + <see cref="Misses"/>), or <c>null</c> without lookups.</summary>
    public double? HitRatio { get; set; }

    /// <summary>Time spent in cache calls made by the app, in milliseconds.</summary>
    public double DurationMs { get; set; }

    /// <summary>Calls made, including those beyond the per-request cap.</summary>
    public int TotalCalls { get; set; }

    /// <summary>Calls made but not kept because the per-request cap was reached.</summary>
    public int Dropped { get; set; }

    /// <summary>Keys looked up more than once in the same cache.</summary>
    public List<CacheKeyRepeat> RepeatedKeys { get; set; } = [];

    /// <summary>What output caching did, when the request went through an output cache policy; else <c>null</c>.</summary>
    public OutputCacheOutcome? OutputCache { get; set; }
}
