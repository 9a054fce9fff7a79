using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Toolbar.Panels.Routes;

/// <summary>
/// Answers "which endpoint would the app select for this method, path and host?" with the app's real
/// matcher: a private pipeline (<c>UseRouting</c> built from the app's services, so the same matcher
/// factory, policies and constraints) over inert copies of the app's endpoints, run on a fake
/// <see cref="HttpContext"/>. The matcher decides; this class only reads what it selected.
/// </summary>
internal sealed class RouteTester(IServiceProvider services, RouteMap map)
{
    /// <summary>Longest path the tester accepts.</summary>
    public const int MaxPathLength = 16 * 1024;

    private static readonly string[] s_commonMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    private readonly Lock _lock = new();
    private RequestDelegate? _pipeline;

    /// <summary>Checks the inputs; returns an error message or <c>null</c>.</summary>
    public static string? Validate(string method, string? path, string? host)
    {
        if (method.Length is 0 or > 32 || !method.All(c => char.IsAsciiLetter(c) || c == '-'))
        {
            return "The method must be an HTTP method name such as GET.";
        }

        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            return "The path must start with '/'.";
        }

        if (path.Length > MaxPathLength)
        {
            return $"The path is longer than {MaxPathLength} characters.";
        }

        if (host is not null && (host.Length > 255 || host.Any(c => char.IsWhiteSpace(c) || c is '/' or '\\' or '@' or '?' or '#')))
        {
            return "The host must be a host name with an optional port.";
        }

        return null;
    }

    public async Task<RouteTestResult> TestAsync(string method, string path, string host, string? contentType)
    {
        method = method.ToUpperInvariant();
        var snapshot = map.Current;
        var probe = await ProbeAsync(method, path, host, contentType);
        var others = new List<RouteTestAlternative>();
        if (probe.Error is null)
        {
            // The same path with each other method, asked of the same matcher: shows what a method mismatch would have hit.
            var methods = snapshot.Infos.Where(i => !i.IsToolbar).SelectMany(i => i.HttpMethods).Concat(s_commonMethods)
                .Select(m => m.ToUpperInvariant()).Distinct(StringComparer.Ordinal).Where(m => m != method).Order(StringComparer.Ordinal);
            foreach (var other in methods)
            {
                var alternative = await ProbeAsync(other, path, host, contentType);
                if (alternative.Matched is { } hit)
                {
                    others.Add(new RouteTestAlternative(other, hit.Pattern, hit.DisplayName));
                }
            }
        }

        IReadOnlyList<NearRoute> nearest = [];
        if (probe.Matched is null && !probe.Ambiguous)
        {
            var context = NewContext(services, method, path, host, contentType);
            nearest = NearestRoutes.Find(snapshot, context.Request.Path.Value ?? path, method, context, services.GetService<ParameterPolicyFactory>());
        }

        return new RouteTestResult
        {
            Matched = probe.Matched,
            Method = method,
            Path = path,
            Host = host,
            StatusCode = probe.StatusCode,
            SystemEndpoint = probe.SystemEndpoint,
            AllowedMethods = probe.AllowedMethods,
            Ambiguous = probe.Ambiguous,
            AmbiguousMatches = probe.AmbiguousMatches,
            OtherMethods = others,
            Nearest = nearest,
            Error = probe.Error,
        };
    }

    private async Task<Probe> ProbeAsync(string method, string path, string host, string? contentType)
    {
        await using var scope = services.CreateAsyncScope();
        var context = NewContext(scope.ServiceProvider, method, path, host, contentType);
        var snapshot = map.Current;
        try
        {
            await Pipeline(context);
        }
        catch (Exception ex) when (ex.GetType().Name == "AmbiguousMatchException")
        {
            return new Probe { StatusCode = 500, Ambiguous = true, AmbiguousMatches = AmbiguousEndpoints(ex.Message, snapshot) };
        }
        catch (Exception ex)
        {
            // Whatever else the matcher throws (a failing custom policy or constraint) is the answer, not a tester failure.
            return new Probe { StatusCode = 500, Error = $"{ex.GetType().Name}: {ex.Message}" };
        }

        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            return new Probe { StatusCode = 404 };
        }

        if (snapshot.TryFind(endpoint, out var index))
        {
            return new Probe { StatusCode = 200, Matched = Describe(snapshot, index, context.Request.RouteValues) };
        }

        // Not an app endpoint, so one the matcher made itself (the 405 / 415 rejection endpoints): running it
        // reveals exactly what the app would answer, including the Allow header.
        try
        {
            await endpoint.RequestDelegate!(context);
        }
        catch (Exception ex)
        {
            return new Probe { StatusCode = 500, SystemEndpoint = endpoint.DisplayName, Error = ex.Message };
        }

        return new Probe
        {
            StatusCode = context.Response.StatusCode,
            SystemEndpoint = endpoint.DisplayName,
            AllowedMethods = SplitAllow(context.Response.Headers.Allow),
        };
    }

    public static MatchedRoute Describe(RouteMapSnapshot snapshot, int index, RouteValueDictionary values)
    {
        var info = snapshot.Infos[index];
        var routeValues = new Dictionary<string, string?>(values.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
        {
            routeValues[name] = Convert.ToString(value, CultureInfo.InvariantCulture);
        }

        return new MatchedRoute
        {
            Pattern = info.Pattern,
            DisplayName = info.DisplayName,
            HttpMethods = info.HttpMethods,
            RouteValues = routeValues,
            EndpointIndex = index,
            Handler = info.Handler,
            EndpointName = info.EndpointName,
        };
    }

    public static string[] SplitAllow(StringValues allow) =>
        allow.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();

    private static DefaultHttpContext NewContext(IServiceProvider requestServices, string method, string path, string host, string? contentType)
    {
        var context = new DefaultHttpContext { RequestServices = requestServices };
        var request = context.Request;
        request.Method = method;
        request.Scheme = "http";
        request.Host = new HostString(host);
        // The path as a server would hand it over: percent-decoded, except %2F, which stays encoded.
        var end = path.IndexOfAny(['?', '#']);
        request.Path = PathString.FromUriComponent(end < 0 ? path : path[..end]);
        if (!string.IsNullOrEmpty(contentType))
        {
            request.ContentType = contentType;
        }

        return context;
    }

    private RequestDelegate Pipeline
    {
        get
        {
            if (Volatile.Read(ref _pipeline) is { } pipeline)
            {
                return pipeline;
            }

            lock (_lock)
            {
                if (_pipeline is null)
                {
                    var app = new ApplicationBuilder(services);
                    app.UseRouting();
                    // UseRouting left its fresh route builder in the properties: give it the app's endpoints (inert copies).
                    var routes = app.Properties.Values.OfType<IEndpointRouteBuilder>().First();
                    routes.DataSources.Add(new InertEndpointDataSource(map));
                    app.Run(static _ => Task.CompletedTask);
                    Volatile.Write(ref _pipeline, app.Build());
                }

                return _pipeline!;
            }
        }
    }

    private static List<MatchedRoute> AmbiguousEndpoints(string message, RouteMapSnapshot snapshot)
    {
        // The selector lists the display names of the tied endpoints, one a line, after "Matches:".
        var start = message.IndexOf("Matches:", StringComparison.Ordinal);
        var names = (start < 0 ? message : message[(start + "Matches:".Length)..])
            .Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new List<MatchedRoute>();
        foreach (var name in names)
        {
            var info = snapshot.Infos.FirstOrDefault(i => i.DisplayName == name && result.All(r => r.EndpointIndex != i.Index));
            result.Add(info is null
                ? new MatchedRoute { DisplayName = name }
                : Describe(snapshot, info.Index, []));
        }

        return result;
    }

    private sealed class Probe
    {
        public int StatusCode { get; init; }

        public MatchedRoute? Matched { get; init; }

        public string? SystemEndpoint { get; init; }

        public IReadOnlyList<string> AllowedMethods { get; init; } = [];

        public bool Ambiguous { get; init; }

        public IReadOnlyList<MatchedRoute> AmbiguousMatches { get; init; } = [];

        public string? Error { get; init; }
    }

    /// <summary>The app's endpoints as inert copies, changing whenever the app's endpoints change.</summary>
    private sealed class InertEndpointDataSource(RouteMap map) : EndpointDataSource
    {
        public override IReadOnlyList<Endpoint> Endpoints => map.Current.InertEndpoints;

        public override IChangeToken GetChangeToken() => map.GetChangeToken();
    }
}
