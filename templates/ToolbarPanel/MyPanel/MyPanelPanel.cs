using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Toolbar;

namespace MyPanel;

/// <summary>
/// The tbpanelid panel. Collect raw facts cheaply while the request runs (OnRequestStarted, collectors
/// that use RequestRecord.Current), compute the data once in OnRequestFinished, render only when opened.
/// </summary>
public sealed class MyPanelPanel : ToolbarPanel<MyPanelData>
{
    /// <inheritdoc />
    public override string Id => "tbpanelid";

    /// <inheritdoc />
    public override string Title => "MyPanel";

    /// <inheritdoc />
    public override Type? ViewType => typeof(MyPanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets { get; } =
    [
        PanelAsset.Embedded<MyPanelPanel>("tbpanelid.css", "MyPanel.tbpanelid.css"),
        PanelAsset.Embedded<MyPanelPanel>("tbpanelid.js", "MyPanel.tbpanelid.js"),
    ];

    /// <inheritdoc />
    public override void OnRequestStarted(PanelContext context)
    {
        context.GetState<MyPanelState>().StartedAt = Stopwatch.GetTimestamp();
    }

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var http = context.HttpContext;
        var state = context.GetState<MyPanelState>();

        // Copy the raw facts now (the server reuses HttpContext); build the data only if somebody reads the record.
        string path = http.Request.Path;
        var endpoint = http.GetEndpoint()?.DisplayName;
        var headerCount = http.Request.Headers.Count;
        var elapsedMs = context.Record.ToOffsetMs(Stopwatch.GetTimestamp()) - context.Record.ToOffsetMs(state.StartedAt);
        context.SetLazyData(() => new MyPanelData
        {
            Path = path,
            Endpoint = endpoint,
            HeaderCount = headerCount,
            ElapsedMs = Math.Round(elapsedMs, 3),
        });
    }

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        // Mapped under {prefix}/panels/tbpanelid; 404 for clients the toolbar does not allow.
        // Non-GET endpoints automatically require the header X-Toolbar-Request: 1.
        endpoints.MapGet("/hello", () => Results.Json(new { panel = "tbpanelid" }));
    }

    /// <inheritdoc />
    protected override string? GetNavSubtitle(MyPanelData data) => data is null ? null : $"{data.HeaderCount} headers";
}
