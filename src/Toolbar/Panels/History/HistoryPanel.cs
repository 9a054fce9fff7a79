using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Toolbar.Panels.History;

/// <summary>
/// The history panel: recent tracked requests of the app (pages, fetch/XHR calls, API calls, redirects), newest
/// first, read from the store when the panel is shown. Choosing one switches the whole toolbar to it.
/// </summary>
public sealed class HistoryPanel(IOptions<ToolbarOptions> options) : ToolbarPanel<HistoryData>
{
    // Shared by every non-redirect request, so tracking costs no allocation for this panel.
    private static readonly HistoryData s_plain = new();

    /// <inheritdoc />
    public override string Id => "history";

    /// <inheritdoc />
    public override string Title => "History";

    /// <inheritdoc />
    public override Type? ViewType => typeof(HistoryPanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets =>
    [
        PanelAsset.Embedded<HistoryPanel>("history.css", "Toolbar.Panels.history.css"),
        PanelAsset.Embedded<HistoryPanel>("history.js", "Toolbar.Panels.history.js"),
    ];

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var response = context.HttpContext.Response;
        var location = response.StatusCode is >= 300 and < 400 ? response.Headers.Location.ToString() : "";
        context.SetData(location.Length > 0 ? new HistoryData { RedirectLocation = location } : s_plain);
    }

    /// <inheritdoc />
    protected override string? GetNavSubtitle(HistoryData data) => data.RedirectLocation is { } location ? "→ " + location : null;

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/entries", ListAsync);
    }

    private async Task<IResult> ListAsync(HttpContext http, IToolbarStore store, ToolbarPanels panels)
    {
        var summaries = await store.ListAsync(http.RequestAborted);
        var entries = new List<HistoryEntry>(summaries.Count);
        foreach (var summary in summaries)
        {
            var badges = summary.Badges;
            if (badges is null && await store.GetAsync(summary.Id, http.RequestAborted) is { } record)
            {
                // Stores that keep records as objects (the in-memory one) ask the panels now, when somebody looks.
                badges = panels.GetNavSubtitles(record);
            }

            entries.Add(new HistoryEntry(summary.Id, summary.Method, summary.Path, summary.QueryString, summary.StatusCode,
                summary.DurationMs, summary.StartedAt, summary.IsAjax, summary.ContentType,
                badges ?? new Dictionary<string, string>())
            {
                GrpcStatus = summary.GrpcStatus,
                GrpcMessage = summary.GrpcMessage,
            });
        }

        return Results.Json(new HistoryList(entries, options.Value.MaxRequests)
        {
            DroppedRecords = store is IToolbarStoreStatus status ? status.DroppedRecords : 0,
        }, ToolbarPanel.JsonOptions);
    }
}
