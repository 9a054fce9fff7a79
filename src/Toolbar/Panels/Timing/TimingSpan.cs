namespace Toolbar.Panels.Timing;

/// <summary>One span of the waterfall: the request, a step, an HTTP call, a query, any activity.</summary>
public sealed class TimingSpan
{
    /// <summary>Id within the request (0 is the request itself).</summary>
    public int Id { get; set; }

    /// <summary>Id of the enclosing span, or <c>null</c> for the request itself.</summary>
    public int? ParentId { get; set; }

    /// <summary>What the span did (step name, activity display name).</summary>
    public string Name { get; set; } = "";

    /// <summary>Where it came from: <c>request</c>, or the name of the <c>ActivitySource</c> (<c>Toolbar</c> for steps).</summary>
    public string Source { get; set; } = "";

    /// <summary>Milliseconds from request start.</summary>
    public double StartMs { get; set; }

    /// <summary>Duration in milliseconds.</summary>
    public double DurationMs { get; set; }

    /// <summary>Time not covered by any child span, in milliseconds.</summary>
    public double SelfMs { get; set; }

    /// <summary>Nesting depth (0 for the request).</summary>
    public int Depth { get; set; }

    /// <summary>Whether the span had not ended when the request finished (it is shown closed at the request's end).</summary>
    public bool Unfinished { get; set; }

    /// <summary>Whether the activity reported an error status.</summary>
    public bool Error { get; set; }

    /// <summary>Short extra fact, e.g. the URL of an HTTP call or the text of a query.</summary>
    public string? Detail { get; set; }

    /// <summary>Where the app started the step (<see cref="Profiler.Step"/>): method, file, line and editor link; <c>null</c> for other spans.</summary>
    public CodeFrame? Frame { get; set; }

    /// <summary>The step's call site as captured (method and IL offset), resolved into <see cref="Frame"/> when the data is built.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    internal CapturedFrame? CallSite { get; set; }

    /// <summary>A few of the activity's tags (values shortened).</summary>
    public Dictionary<string, string>? Tags { get; set; }
}
