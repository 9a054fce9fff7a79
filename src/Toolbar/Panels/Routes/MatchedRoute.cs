namespace Toolbar.Panels.Routes;

/// <summary>The endpoint a request was routed to, with the route values the matcher extracted.</summary>
public sealed class MatchedRoute
{
    /// <summary>Route pattern with a leading slash.</summary>
    public string Pattern { get; init; } = "";

    /// <summary>Display name of the endpoint.</summary>
    public string? DisplayName { get; init; }

    /// <summary>HTTP methods the endpoint accepts; empty means any.</summary>
    public IReadOnlyList<string> HttpMethods { get; init; } = [];

    /// <summary>Route values (as strings, the way the matcher captured them).</summary>
    public Dictionary<string, string?> RouteValues { get; init; } = [];

    /// <summary>Index of the endpoint in the route map, or -1.</summary>
    public int EndpointIndex { get; init; } = -1;

    /// <summary>The code that handles it.</summary>
    public string? Handler { get; init; }

    /// <summary>Endpoint name, when it has one.</summary>
    public string? EndpointName { get; init; }
}
