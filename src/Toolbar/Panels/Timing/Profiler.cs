using System.Diagnostics;

namespace Toolbar;

/// <summary>
/// Timed steps for app code, shown in the toolbar's timing panel (MiniProfiler style):
/// <code>using (Profiler.Step("load products")) { ... }</code>
/// Steps nest, and work across <c>await</c> and parallel tasks (they follow <see cref="Activity.Current"/>).
/// Each step is an <see cref="Activity"/> of the <see cref="ActivitySourceName"/> source, so OpenTelemetry
/// exporters that listen to it see the same steps. When the current request is not tracked by the toolbar,
/// a step does nothing and allocates nothing.
/// </summary>
public static class Profiler
{
    /// <summary>Name of the toolbar's <see cref="System.Diagnostics.ActivitySource"/> (add it to an OpenTelemetry tracer to export steps).</summary>
    public const string ActivitySourceName = "Toolbar";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>Custom property of a step's activity holding its call site (<see cref="CapturedFrame"/>: method and IL offset only).</summary>
    public const string CallSiteProperty = "Toolbar.CallSite";

    /// <summary>
    /// Starts a step that ends when the returned value is disposed. A no-op (no allocation) when the
    /// request is not tracked or nobody listens.
    /// </summary>
    /// <param name="name">What the step does, e.g. <c>load products</c>.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static ProfilerStep Step(string name)
    {
        // Untracked requests stop here: one AsyncLocal read, nothing allocated.
        if (RequestRecord.Current is null || !Source.HasListeners())
        {
            return default;
        }

        var activity = Source.StartActivity(name ?? "step", ActivityKind.Internal);
        if (activity is not null)
        {
            // The caller's method and IL offset are all that is kept; file and line come from the PDB when the panel is opened.
            var caller = new StackFrame(1, false);
            if (caller.GetMethod() is { } method)
            {
                activity.SetCustomProperty(CallSiteProperty, new CapturedFrame(method, caller.GetILOffset()));
            }
        }

        return new ProfilerStep(activity);
    }
}
