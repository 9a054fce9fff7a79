using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Toolbar.Internal;

namespace Toolbar.Panels.Routes;

/// <summary>
/// The routes panel: the app's whole route map, the endpoint this request matched (or the nearest
/// routes when none did), and a route tester that asks the app's own matcher.
/// </summary>
public sealed class RoutesPanel : ToolbarPanel<RoutesData>
{
    private readonly IServiceProvider _services;
    private readonly RouteMap _map;
    private readonly RouteTester _tester;

    /// <summary>Creates the panel (once per app) over the app's services.</summary>
    public RoutesPanel(IServiceProvider services)
    {
        _services = services;
        _map = new RouteMap(services);
        _tester = new RouteTester(services, _map);
        // The map is shared by every record: build it once the app has started, so its cost (about 1 MB) is not
        // counted as the first request's own allocations by the memory panel. Warming must never stop the app.
        services.GetService<IHostApplicationLifetime>()?.ApplicationStarted.Register(() =>
        {
            try
            {
                _ = _map.Current;
            }
            catch (Exception)
            {
                // The first request builds it instead.
            }
        });
    }

    /// <inheritdoc />
    public override string Id => "routes";

    /// <inheritdoc />
    public override string Title => "Routes";

    /// <inheritdoc />
    public override Type? ViewType => typeof(RoutesPanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets =>
    [
        PanelAsset.Embedded<RoutesPanel>("routes.js", "Toolbar.Panels.routes.js"),
        PanelAsset.Embedded<RoutesPanel>("routes.css", "Toolbar.Panels.routes.css"),
    ];

    /// <inheritdoc />
    public override void OnRequestStarted(PanelContext context)
    {
        var state = context.GetState<RoutesState>();
        var features = context.HttpContext.Features;
        state.OriginalPath = context.HttpContext.Request.Path.Value ?? "/";
        state.Recorder = new RecordingEndpointFeature(features.Get<IEndpointFeature>());
        features.Set<IEndpointFeature>(state.Recorder);
    }

    /// <inheritdoc />
    public override void OnResponseStarting(PanelContext context, ServerTimingBuilder serverTiming)
    {
        var started = context.GetState<RoutesState>();
        started.PathAtResponse = context.HttpContext.Request.Path.Value;
        // Status code pages take their feature away again once the re-executed pipeline returns: note it while it is there.
        started.ReExecuted = context.HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null;
        // Taken here as well as at the end: an exception handler clears the endpoint and route values before re-executing.
        if (context.HttpContext.GetEndpoint() is { } endpoint)
        {
            var state = context.GetState<RoutesState>();
            state.Endpoint = endpoint;
            // Copied only when there is something to copy (an empty dictionary is made when the record is read).
            state.Values = context.HttpContext.Request.RouteValues.Count > 0 ? new RouteValueDictionary(context.HttpContext.Request.RouteValues) : null;
        }
    }

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var http = context.HttpContext;
        var state = context.Record.FindState<RoutesState>();
        // The endpoint that ran: the last one routing chose (a fallback to a file clears it before serving).
        var endpoint = state?.Recorder?.LastMatched ?? state?.Endpoint ?? http.GetEndpoint();
        var snapshot = _map.Current;
        // The map is the same for every request until the endpoints change: stores keep it once, not per record.
        context.AddSharedSnapshot(snapshot.SharedInfos);
        var path = state?.OriginalPath ?? http.Request.Path.Value ?? "/";
        var reExecuted = state?.ReExecuted == true || http.Features.Get<IStatusCodeReExecuteFeature>() is not null;
        // When the response started, the path was the one the answering code saw (the rewritten one, the fallback's file, the error page).
        var ranPath = state?.PathAtResponse ?? http.Request.Path.Value;

        var rewrittenPath = ranPath is not null && ranPath != path ? ranPath : null;
        var method = http.Request.Method;
        var statusCode = http.Response.StatusCode;
        if (endpoint is not null && snapshot.TryFind(endpoint, out var index))
        {
            // The usual case is described when somebody reads the record, from a copy of the route values.
            var values = state?.Endpoint is not null ? state.Values : http.Request.RouteValues.Count > 0 ? new RouteValueDictionary(http.Request.RouteValues) : null;
            context.Record.AddEstimatedBytes(256 + (path.Length * 2));
            // A request re-executed for its error status (UseStatusCodePagesWithReExecute) ran the error page's endpoint;
            // the nearest routes still explain why the original path matched nothing.
            IReadOnlyList<NearRoute> originalNearest = reExecuted && statusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed
                ? NearestRoutes.Find(snapshot, path, method, http, _services.GetService<ParameterPolicyFactory>())
                : [];
            context.SetLazyData((snapshot, index, values, method, path, rewrittenPath, reExecuted, statusCode, originalNearest), static s => new RoutesData
            {
                Matched = RouteTester.Describe(s.snapshot, s.index, s.values ?? []),
                EndpointsSnapshot = s.snapshot.SharedInfos,
                Method = s.method,
                Path = s.path,
                RewrittenPath = s.rewrittenPath,
                ReExecuted = s.reExecuted,
                StatusCode = s.statusCode,
                Nearest = s.originalNearest,
            });
            return;
        }

        // No route of the app matched: find the nearest ones now, while the request (host, headers) is at hand.
        IReadOnlyList<string> allowed = statusCode == StatusCodes.Status405MethodNotAllowed ? RouteTester.SplitAllow(http.Response.Headers.Allow) : [];
        IReadOnlyList<NearRoute> nearest = endpoint is null || statusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed
            ? NearestRoutes.Find(snapshot, path, method, http, _services.GetService<ParameterPolicyFactory>())
            : [];
        context.SetData(new RoutesData
        {
            EndpointsSnapshot = snapshot.SharedInfos,
            Method = method,
            Path = path,
            RewrittenPath = rewrittenPath,
            ReExecuted = reExecuted,
            StatusCode = statusCode,
            SystemEndpoint = endpoint?.DisplayName,
            AllowedMethods = allowed,
            Nearest = nearest,
        });
        // The map is shared by all records; only the request's own part counts toward the store's size bound.
        context.Record.AddEstimatedBytes(256 + (path.Length * 2) + (nearest.Count * 200));
    }

    /// <inheritdoc />
    protected override string? GetNavSubtitle(RoutesData data) =>
        data.Matched?.Pattern ?? (data.AllowedMethods.Count > 0 ? "method not allowed" : "no match");

    /// <inheritdoc />
    protected override PanelStatus GetStatus(RoutesData data) =>
        data.Matched is null && data.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed
            ? PanelStatus.Warning
            : PanelStatus.Normal;

    /// <inheritdoc />
    public override IEnumerable<ToolbarMcpTool> GetMcpTools() => RoutesMcpTools.Create(_tester);

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/match", async (HttpContext http, string? method, string? path, string? host, string? contentType) =>
        {
            method = string.IsNullOrEmpty(method) ? "GET" : method;
            var error = RouteTester.Validate(method, path, host);
            if (error is not null)
            {
                return Results.Problem(detail: error, statusCode: StatusCodes.Status400BadRequest, title: "Bad route test", extensions: new Dictionary<string, object?> { ["error"] = error });
            }

            // Without a host, test against the host the toolbar is being used on: what a click on the link would hit.
            var testHost = string.IsNullOrEmpty(host) ? http.Request.Host.Value ?? "localhost" : host;
            var result = await _tester.TestAsync(method, path!, testHost, contentType);
            return Results.Json(result, ToolbarPanel.JsonOptions);
        });
    }

    /// <summary>What the panel notes while the request runs.</summary>
    internal sealed class RoutesState
    {
        public Endpoint? Endpoint { get; set; }

        /// <summary>The path as the client sent it (before rewrites, fallbacks and re-execution).</summary>
        public string? OriginalPath { get; set; }

        /// <summary>The path when the response started (what the endpoint that answered saw).</summary>
        public string? PathAtResponse { get; set; }

        public RecordingEndpointFeature? Recorder { get; set; }

        public bool ReExecuted { get; set; }

        public RouteValueDictionary? Values { get; set; }
    }
}
