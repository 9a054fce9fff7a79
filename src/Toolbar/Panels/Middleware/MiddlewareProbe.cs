using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Toolbar.Panels.Middleware;

/// <summary>
/// Stands in front of one middleware of the built pipeline and times it for tracked requests. For any
/// other request it is one branch and a call through: no lookup while no tracked request is running, no
/// allocation ever.
/// </summary>
internal sealed class MiddlewareProbe(int index, RequestDelegate inner)
{
    public Task Invoke(HttpContext context)
    {
        if (!MiddlewareTrace.AnyActive)
        {
            return inner(context);
        }

        var trace = context.Features.Get<MiddlewareTrace>();
        return trace is null ? inner(context) : InvokeTracked(context, trace);
    }

    private async Task InvokeTracked(HttpContext context, MiddlewareTrace trace)
    {
        var start = Stopwatch.GetTimestamp();
        trace.Enter(index, start);
        var threw = false;
        try
        {
            await inner(context);
        }
        catch
        {
            threw = true;
            throw;
        }
        finally
        {
            trace.Exit(index, start, threw);
        }
    }

    /// <summary>The first probe of the pipeline: decides, once per request, whether the request is traced.</summary>
    internal sealed class Outermost(RequestDelegate inner, MiddlewarePipeline pipeline, ToolbarTracking tracking)
    {
        private readonly MiddlewareProbe _probe = new(0, inner);

        public Task Invoke(HttpContext context)
        {
            if (!tracking.WillTrack(context))
            {
                return inner(context);
            }

            return InvokeTracked(context);
        }

        private async Task InvokeTracked(HttpContext context)
        {
            var trace = new MiddlewareTrace(pipeline.Count);
            context.Features.Set(trace);
            MiddlewareTrace.Activate();
            try
            {
                await _probe.InvokeTracked(context, trace);
            }
            finally
            {
                trace.Complete();
            }
        }
    }
}
