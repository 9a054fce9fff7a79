using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolbar;
using Toolbar.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Puts the debug toolbar into the request pipeline.</summary>
public static class ToolbarApplicationBuilderExtensions
{
    /// <summary>
    /// Adds the toolbar middleware and, on a <c>WebApplication</c>, maps the toolbar's endpoints.
    /// Call it early, but after <c>UseResponseCompression()</c> so the toolbar sees uncompressed HTML.
    /// Does nothing when <see cref="ToolbarOptions.Enabled"/> is false.
    /// </summary>
    public static IApplicationBuilder UseDebugToolbar(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.ApplicationServices;
        var options = services.GetRequiredService<IOptions<ToolbarOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        var environment = services.GetRequiredService<IHostEnvironment>();
        if (!environment.IsDevelopment() && options.ShowToolbar is not null && !options.SuppressEnvironmentWarning)
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Toolbar");
            Log.EnabledOutsideDevelopment(logger, environment.EnvironmentName);
        }

        if (!services.GetRequiredService<ToolbarAccess>().CanEverAllow)
        {
            // Nobody can ever see the toolbar here (Production with the default policy): no panels, no listeners,
            // nothing per request but one path check that answers 404 for the toolbar's URLs.
            var prefix = new PathString(options.NormalizedPrefix);
            app.Use((HttpContext context, RequestDelegate next) =>
            {
                if (context.Request.Path.StartsWithSegments(prefix))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
            return app;
        }

        app.UseMiddleware<ToolbarMiddleware>(new DeveloperPage(BuildDeveloperPage(app, environment, options)));
        if (app is IEndpointRouteBuilder endpoints)
        {
            ToolbarEndpoints.Map(endpoints);
        }

        return app;
    }

    private static RequestDelegate? BuildDeveloperPage(IApplicationBuilder app, IHostEnvironment environment, ToolbarOptions options)
    {
        if (!environment.IsDevelopment() || !options.DeveloperExceptionPage)
        {
            return null;
        }

        // A branch of its own: the developer exception page around a step that rethrows the escaped exception.
        var branch = app.New();
        branch.UseDeveloperExceptionPage();
        branch.Run(RethrowEscaped);
        return branch.Build();
    }

    // Hidden: the page shows the exception's stack, which this rethrow would otherwise end with.
    [System.Diagnostics.StackTraceHidden]
    private static Task RethrowEscaped(HttpContext context)
    {
        context.Features.Get<EscapedException>()!.Info.Throw();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Maps the toolbar's endpoints (API, panel HTML, assets, panel routes) for hosts that are not a
    /// <c>WebApplication</c>; <see cref="UseDebugToolbar"/> does this itself on a <c>WebApplication</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapDebugToolbar(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return ToolbarEndpoints.Map(endpoints);
    }
}
