namespace Toolbar.Panels.Middleware;

/// <summary>One middleware of the pipeline and what it did with this request.</summary>
public sealed class MiddlewareEntry
{
    /// <summary>Position in the pipeline, 0 = outermost.</summary>
    public int Index { get; set; }

    /// <summary>Middleware type, or the method of an inline middleware.</summary>
    public string Name { get; set; } = "";

    /// <summary>Full type or method name and assembly.</summary>
    public string Source { get; set; } = "";

    /// <summary><c>host</c> (added by the host/WebApplication), <c>app</c> (registered by the app) or <c>toolbar</c>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>How many times the request entered it (0 = the request never got there).</summary>
    public int Calls { get; set; }

    /// <summary>Time from entering it to its return, including everything after it in the pipeline, in ms.</summary>
    public double InclusiveMs { get; set; }

    /// <summary>Time spent in this middleware itself: inclusive minus the next middleware's inclusive time, in ms.</summary>
    public double ExclusiveMs { get; set; }

    /// <summary>It ran and returned without calling the next middleware (it answered the request itself).</summary>
    public bool ShortCircuited { get; set; }

    /// <summary>An exception came out of it.</summary>
    public bool Threw { get; set; }

    /// <summary>When it was first entered, in ms from the start of the pipeline.</summary>
    public double StartMs { get; set; }
}
