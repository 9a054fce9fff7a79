using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Toolbar.Internal;

/// <summary>
/// Registered first among startup filters, so its middleware runs before every other one (including the
/// forwarded headers middleware that <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> adds): it notes the real
/// connection's address and Host before anything can rewrite them.
/// </summary>
internal sealed class ToolbarEdgeStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var access = app.ApplicationServices.GetService<ToolbarAccess>();
        if (access is { CanEverAllow: true })
        {
            app.Use((HttpContext context, RequestDelegate nextDelegate) =>
            {
                context.Features.Set(access.Observe(context));
                return nextDelegate(context);
            });
        }

        next(app);
    };
}
