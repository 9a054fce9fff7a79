using System.Text.Json.Serialization;

namespace Toolbar.Panels.Routes;

/// <summary>Data of the routes panel for one request.</summary>
/// <remarks>
/// <see cref="Endpoints"/> is the app's route map, which is the same for every request until the
/// endpoints change: each record references one shared, immutable list instead of a copy (a
/// <see cref="SharedSnapshot{T}"/>, which stores keep once and the JSON shows inline as <c>endpoints</c>).
/// </remarks>
public sealed class RoutesData
{
    /// <summary>The endpoint that handled the request, or <c>null</c> when none matched.</summary>
    public MatchedRoute? Matched { get; init; }

    /// <summary>The app's whole route map (shared between records).</summary>
    [JsonIgnore]
    public IReadOnlyList<RouteEndpointInfo> Endpoints => EndpointsSnapshot?.Value ?? [];

    /// <summary>The route map as the shared snapshot it is (serialized as <c>endpoints</c>).</summary>
    [JsonPropertyName("endpoints")]
    public SharedSnapshot<IReadOnlyList<RouteEndpointInfo>>? EndpointsSnapshot { get; init; }

    /// <summary>HTTP method of the request.</summary>
    public string Method { get; init; } = "";

    /// <summary>Path of the request (without path base).</summary>
    public string Path { get; init; } = "";

    /// <summary>
    /// The path the app actually ran when it differs from <see cref="Path"/> (the path as the client sent it): after
    /// <c>UseRewriter</c>, the file a <c>MapFallbackToFile</c> endpoint served, or the error page of
    /// <c>UseStatusCodePagesWithReExecute</c>; <c>null</c> when nothing changed it.
    /// </summary>
    public string? RewrittenPath { get; init; }

    /// <summary>Whether the response came from re-executing the pipeline for the status code (<c>UseStatusCodePagesWithReExecute</c>).</summary>
    public bool ReExecuted { get; init; }

    /// <summary>Response status code.</summary>
    public int StatusCode { get; init; }

    /// <summary>
    /// Display name of an endpoint the routing system itself produced (e.g. <c>405 HTTP Method Not Supported</c>)
    /// or that is not in the map; <c>null</c> otherwise.
    /// </summary>
    public string? SystemEndpoint { get; init; }

    /// <summary>Methods the path allows when the request was rejected with 405 (from the <c>Allow</c> header).</summary>
    public IReadOnlyList<string> AllowedMethods { get; init; } = [];

    /// <summary>For a request nothing matched: the most similar routes, nearest first.</summary>
    public IReadOnlyList<NearRoute> Nearest { get; init; } = [];
}
