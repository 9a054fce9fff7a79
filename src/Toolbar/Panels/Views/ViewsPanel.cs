using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace Toolbar.Panels.Views;

/// <summary>
/// The views panel: everything rendered for the request (pages and their handlers, controller actions, views,
/// layouts, partials, view starts, view components, the tag helpers each Razor file created, and Razor components
/// rendered on the server), nested, with model types and times, read from the framework's own diagnostic events
/// and the component renderer's own log events. Each step (but tag helpers, counted per type) is also a span in
/// the timing panel.
/// </summary>
public sealed class ViewsPanel : ToolbarPanel<ViewsData>
{
    private readonly IDisposable? _subscription;

    /// <summary>Creates the panel and subscribes to the app's <c>Microsoft.AspNetCore</c> diagnostic listener.</summary>
    public ViewsPanel(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // The listener the app's MVC writes to (one per app), so apps sharing a process never see each other's views.
        if (services.GetService<DiagnosticListener>() is { Name: "Microsoft.AspNetCore" } listener)
        {
            var observer = new ViewsObserver(this);
            _subscription = listener.Subscribe(observer, observer.IsEnabled);
        }
    }

    /// <summary>Name of the <see cref="ActivitySource"/> whose activities are the render steps (the timing panel shows them).</summary>
    public const string ActivitySourceName = ViewsObserver.ActivitySourceName;

    /// <inheritdoc />
    public override string Id => "views";

    /// <inheritdoc />
    public override string Title => "Views";

    /// <inheritdoc />
    public override Type? ViewType => typeof(ViewsPanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets => [PanelAsset.Embedded<ViewsPanel>("views.css", "Toolbar.Panels.views.css")];

    /// <summary>Whether the panel listens to the app's diagnostic events (false when the app has no hosting listener).</summary>
    internal bool IsListening => _subscription is not null;

    /// <inheritdoc />
    public override void OnRequestStarted(PanelContext context) =>
        context.GetState<ViewsState>().Anchor(context.Record.StartedAt.UtcDateTime, context.Record.StartTimestamp);

    /// <inheritdoc />
    public override void OnResponseStarting(PanelContext context, ServerTimingBuilder serverTiming)
    {
        // The renderer reports starts only: the component step that ran last (the page's last render, whose HTML is
        // now written) ends when the response starts, unless something after it ended it already.
        context.Record.FindState<ViewsState>()?.EndComponentStep();
    }

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var state = context.Record.FindState<ViewsState>();
        if (state is null)
        {
            return;
        }

        var (records, dropped) = state.Finish();
        var record = context.Record;
        record.AddEstimatedBytes(128L * records.Length);
        context.SetLazyData((record, records, dropped), static s => Build(s.record, s.records, s.dropped));
    }

    /// <inheritdoc />
    protected override string? GetNavSubtitle(ViewsData data)
    {
        if (data.Views.Count == 0)
        {
            return null;
        }

        var rendered = data.RenderedCount.ToString(CultureInfo.InvariantCulture) + " rendered";
        var top = data.Views.Where(v => v.ParentIndex is null).Sum(v => v.DurationMs);
        return rendered + ", " + top.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
    }

    internal static ViewsData Build(RequestRecord record, ViewRecord[] records, int dropped)
    {
        var data = new ViewsData { Dropped = dropped, Views = new List<ViewEntry>(records.Length) };
        var depths = new int[records.Length];
        foreach (var raw in records)
        {
            var depth = raw.ParentIndex is { } parent ? depths[parent] + 1 : 0;
            depths[raw.Index] = depth;
            var end = raw.EndTimestamp;
            data.Views.Add(new ViewEntry
            {
                Index = raw.Index,
                Kind = raw.Kind,
                Name = raw.Name,
                Path = raw.Path,
                ModelType = raw.ModelType,
                ParentIndex = raw.ParentIndex,
                Depth = depth,
                StartMs = Math.Round(record.ToOffsetMs(raw.StartTimestamp), 3),
                DurationMs = raw.Kind == "tagHelper" ? Ms(raw.OwnTicks) : end is { } e ? Math.Round(Stopwatch.GetElapsedTime(raw.StartTimestamp, e).TotalMilliseconds, 3) : 0,
                Unfinished = end is null,
                Count = raw.Kind is "tagHelper" or "component" ? raw.Count : null,
                SelfMs = raw.Kind == "component" ? Ms(raw.OwnTicks) : null,
            });
            if (raw.Kind == "tagHelper")
            {
                data.TagHelperCount += raw.Count;
            }
            else if (raw.Kind == "component")
            {
                data.ComponentCount++;
            }

            if (raw.Kind is "page" or "view" or "layout" or "partial" or "viewComponent" or "viewComponentView" or "component")
            {
                data.RenderedCount++;
            }
        }

        return data;
    }

    private static double Ms(long ticks) => Math.Round(ticks * 1000.0 / Stopwatch.Frequency, 3);
}
