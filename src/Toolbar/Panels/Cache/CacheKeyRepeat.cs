namespace Toolbar.Panels.Cache;

/// <summary>A key the request looked up more than once in the same cache.</summary>
public sealed class CacheKeyRepeat
{
    /// <summary>The cache abstraction.</summary>
    public string Backend { get; set; } = "";

    /// <summary>The key (masked).</summary>
    public string Key { get; set; } = "";

    /// <summary>How many times it was looked up.</summary>
    public int Count { get; set; }
}
