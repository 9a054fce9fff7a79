using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toolbar.Internal;

/// <summary>Marks the endpoints a panel mapped, so a failure in one is logged and shown as that panel's.</summary>
/// <param name="PanelId">Id of the panel that mapped the endpoint.</param>
internal sealed record PanelEndpointMarker(string PanelId);

/// <summary>The toolbar's own routes: assets, JSON API, panel HTML, and each panel's endpoint group.</summary>
internal static class ToolbarEndpoints
{
    public const string RequestHeader = ToolbarEndpointPolicy.RequestHeader;

    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints)
    {
        var runtime = endpoints.ServiceProvider.GetRequiredService<ToolbarRuntime>();
        var access = endpoints.ServiceProvider.GetRequiredService<ToolbarAccess>();
        var group = endpoints.MapGroup(runtime.Prefix);
        var policyLogger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ToolbarEndpoints));
        group.AddEndpointFilter(async (ctx, next) =>
        {
            var http = ctx.HttpContext;
            // Also guarded here, so the routes stay closed even if the middleware is missing or misplaced.
            if (!access.IsAllowed(http))
            {
                return Results.NotFound();
            }

            var endpoint = http.GetEndpoint();
            if (ToolbarEndpointPolicy.LacksIntent(http, endpoint))
            {
                return ToolbarEndpointPolicy.MissingIntent();
            }

            if (ToolbarEndpointPolicy.Prepare(http, endpoint) is { } refused)
            {
                return refused;
            }

            try
            {
                return await next(ctx);
            }
            catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
            {
                return ToolbarEndpointPolicy.Failure(http, ex, endpoint?.Metadata.GetMetadata<PanelEndpointMarker>()?.PanelId, policyLogger);
            }
        });
        ((IEndpointConventionBuilder)group).Add(ToolbarEndpointPolicy.AddHeadToGets);
        group.ExcludeFromDescription();
        group.WithMetadata(ToolbarEndpointMetadata.Instance);

        group.MapGet("/assets/{name}", (HttpContext http, string name) => ToolbarAssets.Serve(http, ToolbarAssets.Core(name)));

        group.MapGet("/api/requests", async (IToolbarStore store, CancellationToken ct) => Results.Json(await store.ListAsync(ct), ToolbarJson.Options));

        group.MapPost("/api/requests/clear", async (IToolbarStore store, CancellationToken ct) =>
        {
            await store.ClearAsync(ct);
            return Results.NoContent();
        });

        group.MapGet("/api/requests/{id}", async (string id, IToolbarStore store, CancellationToken ct) =>
        {
            var record = await store.GetAsync(id, ct);
            return record is null ? NotFoundJson(id) : new RecordJsonResult(record, runtime);
        });

        var compareLogger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RecordComparer));
        group.MapMethods("/api/compare", [HttpMethods.Get, HttpMethods.Head], (HttpContext http, IToolbarStore store) => RecordComparer.HandleAsync(http, store, runtime, compareLogger));

        group.MapMethods("/api/requests/{id}/export", [HttpMethods.Get, HttpMethods.Head], async (string id, IToolbarStore store, CancellationToken ct) =>
        {
            var record = await store.GetAsync(id, ct);
            return record is null
                ? Results.Problem(title: "No stored request has this id.", detail: "Unknown id: " + id, statusCode: 404)
                : new RecordJsonResult(record, runtime, RecordTransfer.FileName(record));
        });

        group.MapPost("/api/import", (HttpContext http, IToolbarStore store) => RecordTransfer.ImportAsync(http, store, runtime))
            .WithMetadata(new ToolbarBodyLimit(RecordTransfer.MaxImportBytes));

        group.MapGet("/import", (HttpContext http) => RecordTransfer.Page(http, runtime));

        // ?wait=ms: the toolbar follows a fetch as soon as its response starts, before the app has finished and stored
        // its record; waiting here (up to 10 s) spares the browser a series of 404s (each one a console error).
        group.MapGet("/api/requests/{id}/toolbar", async (HttpContext http, string id, IToolbarStore store) =>
        {
            var wait = 0;
            var waitText = http.Request.Query["wait"];
            if (waitText.Count > 0 && (!int.TryParse(waitText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out wait) || wait > MaxRecordWaitMs))
            {
                return ToolbarEndpointPolicy.Problem(StatusCodes.Status400BadRequest, "Bad wait", $"wait is a number of milliseconds from 0 to {MaxRecordWaitMs}.");
            }

            var record = await store.GetAsync(id, http.RequestAborted);
            for (var waited = 0; record is null && waited < wait; waited += RecordPollMs)
            {
                await Task.Delay(RecordPollMs, http.RequestAborted);
                record = await store.GetAsync(id, http.RequestAborted);
            }

            return record is null
                ? NotFoundJson(id)
                : Results.Json(NavModel.Create(record, runtime, http.Request.PathBase + runtime.Prefix), ToolbarJson.Options);
        });

        group.MapGet("/requests/{id}/panels/{panelId}", async (HttpContext http, string id, string panelId, IToolbarStore store, PanelRenderer renderer) =>
        {
            if (!runtime.ById.TryGetValue(panelId, out var panel))
            {
                return Results.NotFound();
            }

            var record = await store.GetAsync(id, http.RequestAborted);
            if (record is null)
            {
                return Results.Content("<div class=\"tb-error\">This request is no longer stored.</div>", "text/html; charset=utf-8", statusCode: 404);
            }

            var html = await renderer.RenderAsync(http.RequestServices, panel, record, http.Request.PathBase + runtime.Prefix);
            return Results.Content(html, "text/html; charset=utf-8");
        });

        group.MapGet("/requests/{id}", (HttpContext http, string id) =>
        {
            // A full-page view of any record, for API-only apps and for links from the history.
            var prefix = HtmlEncoder.Default.Encode(http.Request.PathBase + runtime.Prefix);
            var safeId = HtmlEncoder.Default.Encode(id);
            var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Toolbar · request " + safeId + "</title><link rel=\"icon\" href=\"" + prefix + "/assets/favicon.svg\"></head>"
                + "<body class=\"toolbar-page\"><div id=\"toolbar-root\" data-toolbar-id=\"" + safeId + "\" data-toolbar-prefix=\"" + prefix
                + "\" data-toolbar-mode=\"page\"></div><script src=\"" + prefix + "/assets/toolbar.js\" defer></script></body></html>";
            return Results.Content(html, "text/html; charset=utf-8");
        });

        group.MapGet("/panels/{panelId}/assets/{name}", (HttpContext http, string panelId, string name) =>
        {
            var asset = runtime.ById.TryGetValue(panelId, out var panel)
                ? panel.Assets.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal))
                : null;
            return ToolbarAssets.Serve(http, asset);
        });

        McpServer.Map(group, runtime);

        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ToolbarEndpoints));
        foreach (var panel in runtime.Panels)
        {
            var panelGroup = group.MapGroup("/panels/" + panel.Id);
            panelGroup.WithMetadata(new PanelEndpointMarker(panel.Id));
            try
            {
                panel.MapEndpoints(panelGroup);
            }
            catch (Exception ex)
            {
                // Endpoints mapped before the throw stay; the app and the other panels start normally.
                Log.PanelFailed(logger, panel.Id, nameof(ToolbarPanel.MapEndpoints), ex);
            }

            var recordGroup = group.MapGroup("/requests/{id}");
            recordGroup.WithMetadata(new PanelEndpointMarker(panel.Id));
            try
            {
                panel.MapRecordEndpoints(recordGroup);
            }
            catch (Exception ex)
            {
                Log.PanelFailed(logger, panel.Id, nameof(ToolbarPanel.MapRecordEndpoints), ex);
            }
        }

        return group;
    }

    private const int MaxRecordWaitMs = 10_000;
    private const int RecordPollMs = 50;

    private static IResult NotFoundJson(string id) => ToolbarEndpointPolicy.Problem(StatusCodes.Status404NotFound, "Not found", "No stored request has this id.");

    /// <summary>Streams a record as JSON with each panel's data typed by its panel.</summary>
    private sealed class RecordJsonResult(RequestRecord record, ToolbarRuntime runtime, string? downloadName = null) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            if (downloadName is not null)
            {
                // The name is letters, digits, dashes and dots only (RecordTransfer.FileName): no quoting issues.
                httpContext.Response.Headers.ContentDisposition = "attachment; filename=\"" + downloadName + "\"";
            }

            var buffer = new ArrayBufferWriter<byte>(16 * 1024);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                ToolbarJson.WriteRecord(writer, record, runtime);
            }

            await httpContext.Response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted);
        }
    }
}
