namespace Toolbar.Panels.Cache;

/// <summary>One call the request made to a cache.</summary>
public sealed class CacheCall
{
    /// <summary>Position in the request's calls, from 0.</summary>
    public int Index { get; set; }

    /// <summary><c>get</c>, <c>set</c>, <c>remove</c>, <c>refresh</c>, <c>get-or-create</c> or <c>evict-tag</c>.</summary>
    public string Operation { get; set; } = "";

    /// <summary>The key, with secret-looking parts masked.</summary>
    public string Key { get; set; } = "";

    /// <summary>For lookups: whether the cache had the value; <c>null</c> for writes and removals.</summary>
    public bool? Hit { get; set; }

    /// <summary>Time spent in the call, in milliseconds.</summary>
    public double DurationMs { get; set; }

    /// <summary>The abstraction called: <c>memory</c>, <c>distributed</c>, <c>hybrid</c> or <c>output</c>.</summary>
    public string Backend { get; set; } = "";

    /// <summary>Size of the value in bytes, when the cache API tells it (byte arrays, strings).</summary>
    public long? SizeBytes { get; set; }

    /// <summary>Milliseconds from the request start to the call.</summary>
    public double StartMs { get; set; }

    /// <summary>
    /// Set when the call was made by another cache on the app's behalf (e.g. <c>hybrid</c> for HybridCache reading its
    /// memory and distributed levels); such calls are listed but not counted as hits or misses.
    /// </summary>
    public string? Via { get; set; }

    /// <summary>The app's frame that made the call (<c>Namespace.Type.Method</c>), when one was found.</summary>
    public string? Caller { get; set; }

    /// <summary>The same frame with its file and line (from the app's symbols) and editor link, when found.</summary>
    public CodeFrame? CallerFrame { get; set; }
}
