using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Toolbar.Panels.Middleware;

/// <summary>
/// Stands in front of one middleware of the built pipeline and times it for tracked requests. For any
/// other request it is one branch and a call through: no lookup while no tracked request is running, no
/// allocation ever.
/// </summary>
/// <remarks>
/// No method here is <c>async</c>, and each is hidden from stack traces: the app's exceptions pass through every probe,
/// and an async method's frame (which stack-trace hiding does not reach) would show once per middleware in each of
/// them, on the developer exception page and in the exceptions panel alike.
/// </remarks>
internal sealed class MiddlewareProbe(int index, RequestDelegate inner)
{
    [StackTraceHidden]
    public Task Invoke(HttpContext context)
    {
        if (!MiddlewareTrace.AnyActive)
        {
            return inner(context);
        }

        var trace = context.Features.Get<MiddlewareTrace>();
        return trace is null ? inner(context) : InvokeTracked(context, trace, outermost: false);
    }

    [StackTraceHidden]
    private Task InvokeTracked(HttpContext context, MiddlewareTrace trace, bool outermost)
    {
        var start = Stopwatch.GetTimestamp();
        trace.Enter(index, start);
        Task task;
        try
        {
            task = inner(context);
        }
        catch
        {
            Finish(trace, index, start, threw: true, outermost);
            throw;
        }

        // A null task (an app bug the server reports) counts as a throw, and the trace is completed all the same.
        if (task is null || task.IsCompleted)
        {
            Finish(trace, index, start, threw: task is not { IsCompletedSuccessfully: true }, outermost);
            return task!;
        }

        return new Pending(task, trace, index, start, outermost).Task;
    }

    private static void Finish(MiddlewareTrace trace, int index, long start, bool threw, bool outermost)
    {
        trace.Exit(index, start, threw);
        if (outermost)
        {
            trace.Complete();
        }
    }

    /// <summary>
    /// The probe's task while the middleware runs on: it takes over the middleware's outcome when it ends (the same
    /// exception objects, a cancellation's included) without throwing them, so no frame of the toolbar is added to them.
    /// </summary>
    private sealed class Pending : TaskCompletionSource
    {
        private readonly Task _inner;
        private readonly MiddlewareTrace _trace;
        private readonly int _index;
        private readonly long _start;
        private readonly bool _outermost;

        public Pending(Task inner, MiddlewareTrace trace, int index, long start, bool outermost)
        {
            _inner = inner;
            _trace = trace;
            _index = index;
            _start = start;
            _outermost = outermost;
            // Unsafe: the execution context is not needed to finish the timing, and whoever awaits the probe's task
            // restores its own.
            inner.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(Complete);
        }

        private void Complete()
        {
            Finish(_trace, _index, _start, threw: !_inner.IsCompletedSuccessfully, _outermost);
            // The same outcome, the same objects: a fault's exceptions, or a cancellation with its own exception (an
            // HttpClient timeout keeps its message and inner TimeoutException), none thrown again here.
            TrySetFromTask(_inner);
        }
    }

    /// <summary>The first probe of the pipeline: decides, once per request, whether the request is traced.</summary>
    internal sealed class Outermost(RequestDelegate inner, MiddlewarePipeline pipeline, ToolbarTracking tracking)
    {
        private readonly MiddlewareProbe _probe = new(0, inner);

        [StackTraceHidden]
        public Task Invoke(HttpContext context)
        {
            if (!tracking.WillTrack(context))
            {
                return inner(context);
            }

            var trace = new MiddlewareTrace(pipeline.Count);
            context.Features.Set(trace);
            MiddlewareTrace.Activate();
            return _probe.InvokeTracked(context, trace, outermost: true);
        }
    }
}
