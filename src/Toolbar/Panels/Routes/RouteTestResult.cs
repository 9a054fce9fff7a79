namespace Toolbar.Panels.Routes;

/// <summary>The route tester's answer: what the app's own matcher selects for a method, path and host.</summary>
public sealed class RouteTestResult
{
    /// <summary>The endpoint the app would run, or <c>null</c>.</summary>
    public MatchedRoute? Matched { get; init; }

    /// <summary>HTTP method tested.</summary>
    public string Method { get; init; } = "";

    /// <summary>Path tested, as given.</summary>
    public string Path { get; init; } = "";

    /// <summary>Host tested.</summary>
    public string Host { get; init; } = "";

    /// <summary>
    /// What routing alone would answer: 200 when an app endpoint is selected, 404 when none, 405 for an HTTP
    /// method mismatch, 415 for an unsupported content type, 500 for an ambiguous match.
    /// </summary>
    public int StatusCode { get; init; }

    /// <summary>Display name of an endpoint the routing system produced itself (405/415 rejections).</summary>
    public string? SystemEndpoint { get; init; }

    /// <summary>Methods allowed for the path when the method did not match (the 405's <c>Allow</c> header).</summary>
    public IReadOnlyList<string> AllowedMethods { get; init; } = [];

    /// <summary>Whether several endpoints matched equally well (the app would throw <c>AmbiguousMatchException</c>).</summary>
    public bool Ambiguous { get; init; }

    /// <summary>The endpoints involved in an ambiguous match.</summary>
    public IReadOnlyList<MatchedRoute> AmbiguousMatches { get; init; } = [];

    /// <summary>Other HTTP methods for which the same path and host select an endpoint, with that endpoint.</summary>
    public IReadOnlyList<RouteTestAlternative> OtherMethods { get; init; } = [];

    /// <summary>When nothing matched: the most similar routes and why they did not match.</summary>
    public IReadOnlyList<NearRoute> Nearest { get; init; } = [];

    /// <summary>An error message when the matcher failed for another reason.</summary>
    public string? Error { get; init; }
}
