namespace Toolbar.Panels.Routes;

/// <summary>A route similar to a path nothing matched, and why it did not match when that can be told.</summary>
public sealed class NearRoute
{
    /// <summary>Route pattern with a leading slash.</summary>
    public string Pattern { get; init; } = "";

    /// <summary>Display name of the endpoint.</summary>
    public string? DisplayName { get; init; }

    /// <summary>HTTP methods the endpoint accepts; empty means any.</summary>
    public IReadOnlyList<string> HttpMethods { get; init; } = [];

    /// <summary>Segment distance to the path (0 = same shape).</summary>
    public double Distance { get; init; }

    /// <summary>Why it did not match, e.g. <c>constraint 'id:int' rejected 'abc'</c>, or <c>null</c>.</summary>
    public string? Reason { get; init; }
}
