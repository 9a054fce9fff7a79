using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Toolbar.Panels.Middleware;

/// <summary>The services the middleware panel needs: its pipeline map, the panel itself and the startup filter that probes the pipeline.</summary>
internal static class MiddlewarePanelServices
{
    public static void Add(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(MiddlewarePipeline)))
        {
            return;
        }

        services.AddSingleton<MiddlewarePipeline>();
        // One instance for the toolbar and the startup filter: the filter asks the panel whether it is on.
        services.TryAddSingleton(sp => new MiddlewarePanel(sp.GetRequiredService<MiddlewarePipeline>()));
        // First of all startup filters, so the probes see what the others add (host filtering) too.
        services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, MiddlewareStartupFilter>());
    }
}
