namespace Toolbar.Panels.Middleware;

/// <summary>The middleware panel's data: the pipeline in order and what each middleware did with the request.</summary>
public sealed class MiddlewareData
{
    /// <summary>Every middleware of the pipeline, outermost first.</summary>
    public List<MiddlewareEntry> Middleware { get; set; } = [];

    /// <summary>Ordering mistakes found in the pipeline, each with its fix.</summary>
    public List<MiddlewareWarning> Warnings { get; set; } = [];

    /// <summary>Whether the request was timed (false: the pipeline is listed without figures, and <see cref="Note"/> says why).</summary>
    public bool Measured { get; set; }

    /// <summary>Index of the middleware that answered without calling next, or <c>null</c>.</summary>
    public int? ShortCircuitedAt { get; set; }

    /// <summary>The request went through every middleware and reached the end of the pipeline (the framework's 404).</summary>
    public bool ReachedEnd { get; set; }

    /// <summary>Time in the whole pipeline, in ms.</summary>
    public double TotalMs { get; set; }

    /// <summary>Why figures are missing or partial, or <c>null</c>.</summary>
    public string? Note { get; set; }
}
