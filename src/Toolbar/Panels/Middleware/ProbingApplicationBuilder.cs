using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Toolbar.Panels.Middleware;

/// <summary>
/// The application builder the host builds the pipeline on, seen through the middleware panel: every
/// middleware added to it gets a probe in front of it, and where <c>WebApplication</c> wires the app's own
/// pipeline in, the app's middleware get one each too, in place. Everything else is the real builder's.
/// </summary>
/// <remarks>
/// Like ASP.NET Core's <c>MiddlewareAnalysis</c> (an <c>IStartupFilter</c> that hands the host a wrapping
/// builder), but it also sees inside <c>WebApplication</c>: the host adds the developer exception page,
/// routing, authentication, authorization and the endpoints around one component that runs the app's own
/// middleware, and that component's list is only reachable by reflection. If that ever fails, the app's
/// middleware show as one entry and the panel says why.
/// </remarks>
internal sealed class ProbingApplicationBuilder(IApplicationBuilder inner, MiddlewarePipeline pipeline, ToolbarTracking tracking, Func<bool> enabled) : IApplicationBuilder
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private int _positions;

    public IServiceProvider ApplicationServices
    {
        get => inner.ApplicationServices;
        set => inner.ApplicationServices = value;
    }

    public IFeatureCollection ServerFeatures => inner.ServerFeatures;

    public IDictionary<string, object?> Properties => inner.Properties;

    // Branches (Map, UseWhen) are built on their own builders: they show as the one middleware that runs them.
    public IApplicationBuilder New() => inner.New();

    public RequestDelegate Build() => inner.Build();

    public IApplicationBuilder Use(Func<RequestDelegate, RequestDelegate> middleware)
    {
        var position = _positions++;
        int? index = null;
        if (FindAppComponents(middleware) is { } appComponents)
        {
            // WebApplication's own pipeline goes here: list (and probe) its middleware instead of the component that runs them.
            for (var i = 0; i < appComponents.Count; i++)
            {
                var component = appComponents[i];
                var appIndex = pipeline.Add(n => MiddlewareDescriber.Describe(n, component, "app"));
                appComponents[i] = WrapAppComponent(component, appIndex);
            }
        }
        else
        {
            if (middleware.Target?.GetType().Name == "WireSourcePipeline")
            {
                pipeline.SetLimitation("The app's own middleware could not be listed one by one on this version of ASP.NET Core; they show as one entry.");
            }

            index = pipeline.Add(n => MiddlewareDescriber.Describe(n, middleware, "host"));
        }

        inner.Use(next =>
        {
            if (!enabled())
            {
                return middleware(next);
            }

            pipeline.MarkInstrumented();
            if (position == _positions - 1)
            {
                // The last middleware's next is the end of the pipeline: a probe there tells "reached the end" from "short-circuited".
                next = new MiddlewareProbe(pipeline.Count, next).Invoke;
            }

            var built = middleware(next);
            return index is int i ? Probe(i, built) : built;
        });
        return this;
    }

    private Func<RequestDelegate, RequestDelegate> WrapAppComponent(Func<RequestDelegate, RequestDelegate> component, int index) =>
        next => enabled() ? Probe(index, component(next)) : component(next);

    private RequestDelegate Probe(int index, RequestDelegate built) =>
        index == 0 ? new MiddlewareProbe.Outermost(built, pipeline, tracking).Invoke : new MiddlewareProbe(index, built).Invoke;

    /// <summary>The list of the app's own middleware, when <paramref name="component"/> is where WebApplication runs them.</summary>
    internal static List<Func<RequestDelegate, RequestDelegate>>? FindAppComponents(Func<RequestDelegate, RequestDelegate> component)
    {
        var target = component.Target;
        if (target is null || target.GetType().Name != "WireSourcePipeline")
        {
            return null;
        }

        try
        {
            var app = target.GetType().GetFields(Instance).Select(f => f.GetValue(target)).OfType<IApplicationBuilder>().FirstOrDefault();
            object? builder = app as ApplicationBuilder ?? app?.GetType().GetProperty("ApplicationBuilder", Instance)?.GetValue(app);
            return builder?.GetType().GetField("_components", Instance)?.GetValue(builder) as List<Func<RequestDelegate, RequestDelegate>>;
        }
        catch (Exception)
        {
            return null;
        }
    }
}
