using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Toolbar.Panels.Middleware;

/// <summary>
/// Hands the host a <see cref="ProbingApplicationBuilder"/> when it builds the pipeline, so that every
/// middleware (the host's, WebApplication's and the app's) is listed and timed with no change in the app.
/// Registered first among the startup filters, so it is the outermost and sees theirs too (host filtering).
/// When no request can ever be tracked (toolbar off, or not Development with the default policy) the
/// pipeline is left exactly as the host builds it.
/// </summary>
internal sealed class MiddlewareStartupFilter(MiddlewarePipeline pipeline, MiddlewarePanel panel, ToolbarTracking tracking) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (!tracking.CanTrackAny)
        {
            next(app);
            return;
        }

        // Whether the panel is part of the toolbar is known once the app has configured it (UseDebugToolbar):
        // the probes ask at build time, which comes after all configuration.
        next(new ProbingApplicationBuilder(app, pipeline, tracking, () => panel.Index >= 0));
        pipeline.Complete();
    };
}
