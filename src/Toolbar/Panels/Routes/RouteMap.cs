using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Toolbar.Panels.Routes;

/// <summary>
/// The app's route map, computed once and shared by every request: the endpoints come from the app's
/// composite <see cref="EndpointDataSource"/>, and the map is rebuilt only when that source hands out a
/// new endpoint list (which it does exactly when one of its data sources signalled a change).
/// </summary>
internal sealed class RouteMap(IServiceProvider services)
{
    private readonly Lock _lock = new();
    private EndpointDataSource? _source;
    private RouteMapSnapshot? _snapshot;

    /// <summary>The app's composite data source, or <c>null</c> when routing is not registered.</summary>
    public EndpointDataSource? Source => _source ??= services.GetService<EndpointDataSource>();

    /// <summary>The current map (rebuilt if the endpoints changed since the last call).</summary>
    public RouteMapSnapshot Current
    {
        get
        {
            var source = Source;
            if (source is null)
            {
                return RouteMapSnapshot.Empty;
            }

            var endpoints = source.Endpoints;
            var snapshot = Volatile.Read(ref _snapshot);
            if (snapshot is not null && ReferenceEquals(snapshot.SourceEndpoints, endpoints))
            {
                return snapshot;
            }

            lock (_lock)
            {
                if (_snapshot is null || !ReferenceEquals(_snapshot.SourceEndpoints, endpoints))
                {
                    Volatile.Write(ref _snapshot, RouteMapSnapshot.Create(endpoints));
                }

                return _snapshot!;
            }
        }
    }

    /// <summary>Change token of the app's endpoints (a never-changing token without routing).</summary>
    public IChangeToken GetChangeToken() => Source?.GetChangeToken() ?? NullChangeToken.Singleton;
}

/// <summary>One immutable version of the route map.</summary>
internal sealed class RouteMapSnapshot
{
    public static readonly RouteMapSnapshot Empty = Create([]);

    private static readonly RequestDelegate s_inert = static _ => Task.CompletedTask;

    private RouteMapSnapshot(IReadOnlyList<Endpoint> sourceEndpoints, List<RouteEndpoint> originals, IReadOnlyList<RouteEndpointInfo> infos, List<Endpoint> inert,
        Dictionary<Endpoint, int> byEndpoint)
    {
        SourceEndpoints = sourceEndpoints;
        Originals = originals;
        Infos = infos;
        SharedInfos = new SharedSnapshot<IReadOnlyList<RouteEndpointInfo>>(infos);
        InertEndpoints = inert;
        IndexByEndpoint = byEndpoint;
    }

    /// <summary>The list this snapshot was built from (its identity tells whether the app's endpoints changed).</summary>
    public IReadOnlyList<Endpoint> SourceEndpoints { get; }

    /// <summary>The app's route endpoints, in map order.</summary>
    public IReadOnlyList<RouteEndpoint> Originals { get; }

    /// <summary>Descriptions of <see cref="Originals"/> (same order): what records and the JSON API show.</summary>
    public IReadOnlyList<RouteEndpointInfo> Infos { get; }

    /// <summary><see cref="Infos"/> as the snapshot every record of this map version shares.</summary>
    public SharedSnapshot<IReadOnlyList<RouteEndpointInfo>> SharedInfos { get; }

    /// <summary>
    /// Copies of <see cref="Originals"/> with the same pattern, order and metadata but a request delegate that
    /// does nothing: the route tester runs the app's real matcher over these, so no app code can ever run
    /// (not even a short-circuit endpoint, which the routing middleware executes itself).
    /// </summary>
    public IReadOnlyList<Endpoint> InertEndpoints { get; }

    /// <summary>Map index of an original or inert endpoint.</summary>
    public IReadOnlyDictionary<Endpoint, int> IndexByEndpoint { get; }

    /// <summary>Map index by what identifies an endpoint (see <see cref="KeyOf"/>).</summary>
    private Dictionary<string, int> IndexByKey { get; } = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<Endpoint, int> _aliases = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Finds an endpoint of the map. Some data sources (minimal APIs, route groups) build new endpoint
    /// objects each time they are asked, so the one routing selected may not be the very object in the
    /// map: then it is found by its display name, pattern, order, methods and hosts.
    /// </summary>
    public bool TryFind(Endpoint endpoint, out int index)
    {
        if (IndexByEndpoint.TryGetValue(endpoint, out index) || _aliases.TryGetValue(endpoint, out index))
        {
            return true;
        }

        index = -1;
        if (endpoint is not RouteEndpoint route || !IndexByKey.TryGetValue(KeyOf(route), out index))
        {
            return false;
        }

        // The routing middleware keeps its endpoint objects, so remember them: the key is built once per endpoint, not per request.
        if (_aliases.Count < Originals.Count * 2)
        {
            _aliases.TryAdd(endpoint, index);
        }

        return true;
    }

    private static string KeyOf(RouteEndpoint endpoint) => string.Join('\n',
        endpoint.DisplayName, endpoint.RoutePattern.RawText, endpoint.Order.ToString(System.Globalization.CultureInfo.InvariantCulture),
        string.Join(',', endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []),
        string.Join(',', endpoint.Metadata.GetMetadata<IHostMetadata>()?.Hosts ?? []));

    public static RouteMapSnapshot Create(IReadOnlyList<Endpoint> endpoints)
    {
        var originals = new List<RouteEndpoint>(endpoints.Count);
        var infos = new List<RouteEndpointInfo>(endpoints.Count);
        var inert = new List<Endpoint>(endpoints.Count);
        var byEndpoint = new Dictionary<Endpoint, int>(endpoints.Count * 2, ReferenceEqualityComparer.Instance);
        foreach (var endpoint in endpoints)
        {
            if (endpoint is not RouteEndpoint route)
            {
                continue; // Only route endpoints take part in URL matching.
            }

            var index = originals.Count;
            originals.Add(route);
            infos.Add(RouteDescriber.Describe(route, index));
            var copy = new RouteEndpoint(s_inert, route.RoutePattern, route.Order, route.Metadata, route.DisplayName);
            inert.Add(copy);
            byEndpoint[route] = index;
            byEndpoint[copy] = index;
        }

        var snapshot = new RouteMapSnapshot(endpoints, originals, infos.AsReadOnly(), inert, byEndpoint);
        foreach (var route in originals)
        {
            snapshot.IndexByKey.TryAdd(KeyOf(route), snapshot.IndexByEndpoint[route]);
        }

        return snapshot;
    }
}
