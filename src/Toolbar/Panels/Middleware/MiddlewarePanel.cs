namespace Toolbar.Panels.Middleware;

/// <summary>
/// The middleware panel: the app's whole pipeline in order (what the host and <c>WebApplication</c> add as
/// well as the app's own), the time each middleware took for this request (inclusive and exclusive), the
/// one that answered without calling next, and ordering mistakes with their fix. The pipeline is probed
/// at build time by a startup filter; the app changes nothing.
/// </summary>
public sealed class MiddlewarePanel : ToolbarPanel<MiddlewareData>
{
    private readonly MiddlewarePipeline _pipeline;

    internal MiddlewarePanel(MiddlewarePipeline pipeline) => _pipeline = pipeline;

    /// <inheritdoc />
    public override string Id => "middleware";

    /// <inheritdoc />
    public override string Title => "Middleware";

    /// <inheritdoc />
    public override Type? ViewType => typeof(MiddlewarePanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets =>
    [
        PanelAsset.Embedded<MiddlewarePanel>("middleware.css", "Toolbar.Panels.middleware.css"),
    ];

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var pipeline = _pipeline;
        var trace = context.HttpContext.Features.Get<MiddlewareTrace>();
        context.Record.AddEstimatedBytes(64 + (pipeline.Count * 160));
        // The middleware around the toolbar return after this hook: their figures are read when the record is.
        context.SetLazyData((pipeline, trace), static s => Build(s.pipeline, s.trace));
    }

    /// <inheritdoc />
    protected override string? GetNavSubtitle(MiddlewareData data)
    {
        if (data.ShortCircuitedAt is int at && at < data.Middleware.Count)
        {
            return $"{data.Middleware.Count} · answered by {data.Middleware[at].Name}";
        }

        return $"{data.Middleware.Count} middleware";
    }

    /// <inheritdoc />
    protected override PanelStatus GetStatus(MiddlewareData data) => data.Warnings.Count > 0 ? PanelStatus.Warning : PanelStatus.Normal;

    internal static MiddlewareData Build(MiddlewarePipeline pipeline, MiddlewareTrace? trace)
    {
        var data = new MiddlewareData
        {
            Warnings = [.. pipeline.Warnings],
            Measured = trace is not null,
        };
        var entries = pipeline.Entries;
        for (var i = 0; i < entries.Count; i++)
        {
            var info = entries[i];
            var entry = new MiddlewareEntry { Index = info.Index, Name = info.Name, Source = info.Source, Kind = info.Kind };
            if (trace is not null && i < trace.Count)
            {
                entry.Calls = trace.Calls(i);
                entry.Threw = trace.Threw(i);
                if (entry.Calls > 0)
                {
                    entry.StartMs = Round(trace.FirstEnterMs(i));
                    var inclusive = trace.InclusiveMs(i);
                    entry.InclusiveMs = Round(inclusive);
                    entry.ExclusiveMs = Round(Math.Max(0, inclusive - trace.InclusiveMs(i + 1)));
                    // The endpoint middleware is where a routed request is meant to end; anything else that did not call next answered itself.
                    entry.ShortCircuited = trace.Calls(i + 1) == 0 && !entry.Threw && info.Name != "EndpointMiddleware";
                    if (entry.ShortCircuited)
                    {
                        data.ShortCircuitedAt ??= i;
                    }
                }
            }

            data.Middleware.Add(entry);
        }

        if (trace is not null)
        {
            data.ReachedEnd = trace.Calls(trace.Count) > 0;
            data.TotalMs = Round(trace.InclusiveMs(0));
            if (!trace.Completed)
            {
                data.Note = "Read while the request was still leaving the pipeline: the middleware around the toolbar may show less time than they took.";
            }
        }
        else
        {
            data.Note = pipeline.Instrumented
                ? "This request was not timed: it was not tracked when it entered the pipeline."
                : "The pipeline was not probed: the toolbar's startup filter did not see it being built (a host other than the generic web host, or the panel was added after the app started).";
        }

        if (pipeline.Limitation is { } limitation)
        {
            data.Note = data.Note is null ? limitation : data.Note + " " + limitation;
        }

        return data;
    }

    private static double Round(double ms) => Math.Round(ms, 3);
}
