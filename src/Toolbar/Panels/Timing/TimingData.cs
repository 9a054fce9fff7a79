namespace Toolbar.Panels.Timing;

/// <summary>Data of the timing panel: where the time of one request went.</summary>
public sealed class TimingData
{
    /// <summary>Server time of the whole request in milliseconds.</summary>
    public double DurationMs { get; set; }

    /// <summary>Milliseconds from request start until the response headers were sent, or <c>null</c> when they never were.</summary>
    public double? ResponseStartedMs { get; set; }

    /// <summary>Display name of the endpoint that handled the request, or <c>null</c> when none matched.</summary>
    public string? Endpoint { get; set; }

    /// <summary>W3C trace id of the request's activity (to find the same request in a tracing backend), or <c>null</c>.</summary>
    public string? TraceId { get; set; }

    /// <summary>
    /// Spans in tree order (a parent before its children, siblings by start). The first span is the
    /// request itself; every other span lies within its parent.
    /// </summary>
    public List<TimingSpan> Spans { get; set; } = [];

    /// <summary>Id of the span that spent the most time in itself (not in its children), or <c>null</c>.</summary>
    public int? SlowestSpanId { get; set; }

    /// <summary>Spans left out because the request produced more than the panel keeps.</summary>
    public int DroppedSpans { get; set; }

    /// <summary>Navigation Timing figures the browser reported for this page, or <c>null</c> when none arrived.</summary>
    public NavigationTiming? Navigation { get; set; }
}
