using System.Diagnostics;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Toolbar.Panels.Cpu;

/// <summary>
/// The CPU panel: a sampled CPU profile of one request, taken from inside the process with the runtime's EventPipe
/// sample profiler, shown as a flame graph and a table of functions. Profiling is on demand: only a request that
/// carries <c>X-Toolbar-Profile: cpu</c> (or <c>?_toolbar_profile=cpu</c>), or that the panel's button armed, is
/// profiled, one at a time; other requests cost a header lookup.
/// </summary>
public sealed class CpuPanel : ToolbarPanel<CpuData>
{
    /// <summary>Creates the panel; <paramref name="appCode"/> is the toolbar's rule for which frames are the app's.</summary>
    public CpuPanel(AppCode appCode)
        : this(appCode, Options.Create(new CpuPanelOptions()))
    {
    }

    /// <summary>Creates the panel with its settings (<c>Toolbar:Cpu</c>).</summary>
    [ActivatorUtilitiesConstructor]
    public CpuPanel(AppCode appCode, IOptions<CpuPanelOptions> options)
        : this(appCode, TimeProvider.System)
    {
        ArgumentNullException.ThrowIfNull(options);
        var seconds = options.Value.MaxProfileSeconds;
        if (!(seconds > 0) || seconds > TimeSpan.FromDays(1).TotalSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(options), seconds, "Toolbar:Cpu:MaxProfileSeconds must be more than 0 and at most a day.");
        }

        MaxProfileDuration = TimeSpan.FromSeconds(seconds);
    }

    internal CpuPanel(AppCode appCode, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(appCode);
        AppCode = new ModuleAppCode(appCode);
        Arms = new ProfileArms(time);
    }

    /// <inheritdoc />
    public override string Id => "cpu";

    /// <inheritdoc />
    public override string Title => "CPU";

    /// <inheritdoc />
    public override Type? ViewType => typeof(CpuPanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets { get; } =
    [
        PanelAsset.Embedded<CpuPanel>("cpu.css", "Toolbar.Panels.cpu.css"),
        PanelAsset.Embedded<CpuPanel>("cpu.js", "Toolbar.Panels.cpu.js"),
    ];

    internal CpuProfiler Profiler { get; } = new();

    /// <summary>Longest a request is sampled (<see cref="CpuPanelOptions.MaxProfileSeconds"/>).</summary>
    public TimeSpan MaxProfileDuration { get; internal set; } = TimeSpan.FromSeconds(30);

    internal ProfileArms Arms { get; }

    private ModuleAppCode AppCode { get; }

    /// <inheritdoc />
    public override void OnRequestStarted(PanelContext context)
    {
        var request = context.HttpContext.Request;
        var trigger =
            ProfileRequest.StripQuery(request) ? "query"
            : string.Equals(request.Headers[ProfileRequest.Header], ProfileRequest.Value, StringComparison.OrdinalIgnoreCase) ? "header"
            : Arms.TryConsume(ProfileRequest.UrlOf(request)) ? "armed"
            : null;
        if (trigger is null)
        {
            return;
        }

        var state = context.GetState<CpuState>();
        state.Trigger = trigger;
        state.Session = Profiler.TryStart(out var refusal);
        state.Refusal = refusal;
        if (state.Session is not null)
        {
            state.StartedAt = Stopwatch.GetTimestamp();
            state.Intervals = RequestThreadIntervals.Start(context.Record);
            state.Limit = Profiler.Limit(state.Session, MaxProfileDuration);
        }
    }

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var state = context.Record.FindState<CpuState>();
        if (state is null)
        {
            context.SetData(CpuData.NotProfiled);
            return;
        }

        if (state.Session is null || state.Intervals is null)
        {
            context.SetData(new CpuData { Trigger = state.Trigger, Refused = state.Refusal });
            return;
        }

        state.Limit?.Dispose();
        var intervals = state.Intervals.Stop();
        var endedAt = Stopwatch.GetTimestamp();
        var profile = Profiler.FinishAsync(state.Session, intervals, state.StartedAt, endedAt, state.Trigger, AppCode);
        state.Session = null;
        var record = context.Record;
        context.SetLazyData((profile, record), static s =>
        {
            var data = s.profile.GetAwaiter().GetResult();
            s.record.AddEstimatedBytes(64L * data.Functions.Count + 48L * data.SampleCount);
            return data;
        });
    }

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => CpuEndpoints.Map(endpoints, this);

    /// <inheritdoc />
    public override IEnumerable<ToolbarMcpTool> GetMcpTools() => CpuMcpTools.Create(this);

    /// <inheritdoc />
    public override void MapRecordEndpoints(IEndpointRouteBuilder endpoints) => CpuEndpoints.MapRecord(endpoints, this);

    /// <inheritdoc />
    protected override string? GetNavSubtitle(CpuData data) =>
        data.Profiled ? $"{data.SampleCount} samples" : data.Refused is not null ? "refused" : "not profiled";

    /// <inheritdoc />
    protected override PanelStatus GetStatus(CpuData data) => data.Refused is not null || data.StoppedEarly ? PanelStatus.Warning : PanelStatus.Normal;
}
