using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Toolbar.Panels.Timing;

/// <summary>
/// The timing panel: a waterfall of everything the request did, built from <see cref="Activity"/>
/// instrumentation (ASP.NET Core, HttpClient, any library's <see cref="ActivitySource"/>) and the app's own
/// <see cref="Profiler.Step"/> calls, plus Navigation Timing figures sent back by the browser.
/// </summary>
public sealed class TimingPanel : ToolbarPanel<TimingData>
{
    /// <summary>Most top-level steps listed in <c>Server-Timing</c>, so the header stays small.</summary>
    private const int MaxServerTimingSteps = 20;

    /// <summary>Creates the panel and starts listening to activities.</summary>
    public TimingPanel() => TimingListener.Register();

    /// <summary>Creates the panel with the app-code rule that resolves the steps' call sites to file and line.</summary>
    public TimingPanel(AppCode appCode)
        : this() => _appCode = appCode;

    private readonly AppCode? _appCode;

    /// <inheritdoc />
    public override string Id => "timing";

    /// <inheritdoc />
    public override string Title => "Timing";

    /// <inheritdoc />
    public override Type? ViewType => typeof(TimingPanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets =>
    [
        PanelAsset.Embedded<TimingPanel>("timing.css", "Toolbar.Panels.timing.css"),
        PanelAsset.Embedded<TimingPanel>("timing.js", "Toolbar.Panels.timing.js"),
    ];

    /// <inheritdoc />
    public override void OnRequestStarted(PanelContext context)
    {
        context.GetState<TimingState>().RequestActivity = Activity.Current;
    }

    /// <inheritdoc />
    public override void OnResponseStarting(PanelContext context, ServerTimingBuilder serverTiming)
    {
        var state = context.Record.FindState<TimingState>();
        if (state is null)
        {
            return;
        }

        state.ResponseStartedMs = context.Record.ElapsedMs;
        var activities = state.Snapshot();
        if (activities.Length == 0)
        {
            return;
        }

        var recorded = new HashSet<Activity>(activities, ReferenceEqualityComparer.Instance);
        var added = 0;
        foreach (var activity in activities)
        {
            if (added == MaxServerTimingSteps)
            {
                break;
            }

            if (IsStep(activity) && !HasStepAncestor(activity, recorded))
            {
                // A step still running when the headers leave is reported with its time so far.
                var duration = activity.IsStopped ? activity.Duration : DateTime.UtcNow - activity.StartTimeUtc;
                serverTiming.Add(activity.DisplayName, duration.TotalMilliseconds, activity.DisplayName);
                added++;
            }
        }
    }

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var record = context.Record;
        var state = record.FindState<TimingState>();
        if (state is null)
        {
            return;
        }

        var (activities, commands, dropped) = state.Finish();
        var endpoint = context.HttpContext.GetEndpoint()?.DisplayName;
        var responseStartedMs = state.ResponseStartedMs;
        var requestActivity = state.RequestActivity;
        var appCode = _appCode;
        var facts = (record, activities, commands, dropped, endpoint, responseStartedMs, requestActivity, appCode);
        static TimingData Build((RequestRecord Record, Activity[] Activities, CommandSpan[] Commands, int Dropped, string? Endpoint, double? ResponseStartedMs, Activity? RequestActivity, AppCode? AppCode) s)
        {
            var record = s.Record;
            var data = SpanTree.Build(record.Method + " " + record.Path, record.StartedAt.UtcDateTime, record.DurationMs, s.Activities, s.Commands);
            data.ResponseStartedMs = s.ResponseStartedMs is { } started ? Math.Round(started, 3) : null;
            data.Endpoint = s.Endpoint;
            data.DroppedSpans = s.Dropped;
            foreach (var span in data.Spans)
            {
                if (span.CallSite is { } callSite && s.AppCode is not null)
                {
                    span.Frame = s.AppCode.Resolve(callSite);
                }
            }

            if (s.RequestActivity is { IdFormat: ActivityIdFormat.W3C })
            {
                data.TraceId = s.RequestActivity.TraceId.ToHexString();
            }

            return data;
        }

        record.AddEstimatedBytes(256L * (activities.Length + commands.Length + 1));

        // A stopped activity no longer changes, so the tree can be built when somebody looks; one still running
        // (fire-and-forget work) must be described as it is now.
        if (Array.TrueForAll(activities, static a => a.IsStopped))
        {
            context.SetLazyData(facts, Build);
        }
        else
        {
            context.SetData(Build(facts));
        }
    }

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => NavigationTimingEndpoint.Map(endpoints, this);

    /// <inheritdoc />
    protected override object? Compare(TimingData a, TimingData b)
    {
        // Spans by name: the same step in both requests lines up even when its position or id differs.
        static Dictionary<string, (int Count, double Ms)> ByName(TimingData data)
        {
            var spans = new Dictionary<string, (int Count, double Ms)>(StringComparer.Ordinal);
            foreach (var span in data.Spans)
            {
                var (count, ms) = spans.GetValueOrDefault(span.Name);
                spans[span.Name] = (count + 1, ms + span.DurationMs);
            }

            return spans;
        }

        var before = ByName(a);
        var after = ByName(b);
        var spans = before.Keys.Concat(after.Keys.Where(k => !before.ContainsKey(k))).Select(name => new
        {
            name,
            count = CompareFigure.Of(before.GetValueOrDefault(name).Count, after.GetValueOrDefault(name).Count),
            durationMs = CompareFigure.Of(before.GetValueOrDefault(name).Ms, after.GetValueOrDefault(name).Ms),
        }).ToList();
        return new { durationMs = CompareFigure.Of(a.DurationMs, b.DurationMs), spans };
    }

    /// <inheritdoc />
    protected override string? GetNavSubtitle(TimingData data) => data.DurationMs.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    /// <inheritdoc />
    protected override PanelStatus GetStatus(TimingData data) =>
        data.Spans.Exists(s => s.Unfinished || s.Error) ? PanelStatus.Warning : PanelStatus.Normal;

    private static bool IsStep(Activity activity) => ReferenceEquals(activity.Source, Profiler.Source);

    private static bool HasStepAncestor(Activity activity, HashSet<Activity> recorded)
    {
        for (var parent = activity.Parent; parent is not null; parent = parent.Parent)
        {
            if (IsStep(parent) && recorded.Contains(parent))
            {
                return true;
            }
        }

        return false;
    }
}
