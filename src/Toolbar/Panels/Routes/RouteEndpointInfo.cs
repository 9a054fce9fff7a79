namespace Toolbar.Panels.Routes;

/// <summary>One endpoint of the app's route map, with the metadata people debug routing with.</summary>
public sealed class RouteEndpointInfo
{
    /// <summary>Position in the route map (stable for one map; the map is rebuilt when endpoints change).</summary>
    public int Index { get; init; }

    /// <summary>Route pattern with a leading slash, e.g. <c>/products/{id:int}</c>.</summary>
    public string Pattern { get; init; } = "";

    /// <summary>Display name of the endpoint.</summary>
    public string? DisplayName { get; init; }

    /// <summary>HTTP methods the endpoint accepts; empty means any method.</summary>
    public IReadOnlyList<string> HttpMethods { get; init; } = [];

    /// <summary>Route order (lower wins among equally specific patterns).</summary>
    public int Order { get; init; }

    /// <summary>What produced the endpoint: <c>minimal</c>, <c>controller</c>, <c>page</c>, <c>component</c> or <c>other</c>.</summary>
    public string Kind { get; init; } = "other";

    /// <summary>The code that handles it: <c>Type.Method</c>, the page path, or the component type.</summary>
    public string? Handler { get; init; }

    /// <summary>Blueprint-like group: the first literal path segment (e.g. <c>/products</c>), or <c>/</c>.</summary>
    public string Group { get; init; } = "/";

    /// <summary>Whether this is one of the toolbar's own endpoints.</summary>
    public bool IsToolbar { get; init; }

    /// <summary>Route constraints, e.g. <c>id:int</c>.</summary>
    public IReadOnlyList<string> Constraints { get; init; } = [];

    /// <summary>Hosts the endpoint is restricted to (<c>RequireHost</c>); empty means any host.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>Endpoint name (<c>WithName</c>, route name), used for link generation.</summary>
    public string? EndpointName { get; init; }

    /// <summary>Authorization: <c>AllowAnonymous</c>, <c>Authorize</c> with policies/roles/schemes, or <c>null</c> when none.</summary>
    public string? Authorization { get; init; }

    /// <summary>CORS: the policy name, <c>enabled</c>, <c>disabled</c>, or <c>null</c> when not set on the endpoint.</summary>
    public string? Cors { get; init; }

    /// <summary>Rate limiting: the policy name, <c>disabled</c>, or <c>null</c>.</summary>
    public string? RateLimiting { get; init; }

    /// <summary>Output caching: the policy name or duration, <c>no-store</c>, or <c>null</c>.</summary>
    public string? OutputCache { get; init; }
}
