namespace Toolbar.Panels.Cache;

/// <summary>What output caching did with the request, read from the output cache middleware's own context.</summary>
public sealed class OutputCacheOutcome
{
    /// <summary>Whether a policy turned output caching on for the request.</summary>
    public bool Enabled { get; set; }

    /// <summary>Whether the response could be served from the cache.</summary>
    public bool LookupAllowed { get; set; }

    /// <summary>Whether the response could be stored in the cache.</summary>
    public bool StorageAllowed { get; set; }

    /// <summary>Whether the response was served from the cache.</summary>
    public bool ServedFromCache { get; set; }

    /// <summary>Whether the response was stored in the cache.</summary>
    public bool Stored { get; set; }

    /// <summary>Why the response was neither served from nor stored in the cache, or what happened, in words.</summary>
    public string Reason { get; set; } = "";
}
