using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolbar.Internal;

namespace Toolbar.Panels.Views;

/// <summary>
/// The views panel's services: the logger provider that reads the component renderer's events, and the wrapper
/// around the app's <see cref="ITagHelperFactory"/> (MVC registers it after <c>AddDebugToolbar()</c> in most apps,
/// so it is wrapped again when the host builds its services). Idempotent: a registration is wrapped once.
/// </summary>
internal static class ViewsServices
{
    // One delegate instance, so the hook registers it once however many apps add the toolbar.
    private static readonly Action<IServiceCollection> s_decorateAtHostBuild = static services =>
    {
        if (services.Any(d => d.ServiceType == typeof(ComponentRenderLoggerProvider)))
        {
            DecorateTagHelperFactory(services);
        }
    };

    public static void AddTo(IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(ComponentRenderLoggerProvider)))
        {
            services.AddSingleton<ComponentRenderLoggerProvider>();
            services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<ComponentRenderLoggerProvider>());
            // Debug for the renderer's category, for this provider only (a rule naming a provider beats the app's general rules).
            services.Configure<LoggerFilterOptions>(o => o.AddFilter<ComponentRenderLoggerProvider>(ComponentRenderLoggerProvider.RendererCategory, LogLevel.Debug));
            HostBuildingHook.Register(s_decorateAtHostBuild);
        }

        DecorateTagHelperFactory(services);
    }

    public static void DecorateTagHelperFactory(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(ITagHelperFactory) || descriptor.IsKeyedService || descriptor.ImplementationFactory?.Target is Decorator)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Describe(typeof(ITagHelperFactory), new Decorator(descriptor).Create, descriptor.Lifetime);
        }
    }

    /// <summary>Creates the app's factory as its registration said, then wraps it. Its type marks a wrapped registration.</summary>
    private sealed class Decorator(ServiceDescriptor original)
    {
        public object Create(IServiceProvider services)
        {
            var inner = original.ImplementationInstance
                ?? original.ImplementationFactory?.Invoke(services)
                ?? ActivatorUtilities.CreateInstance(services, original.ImplementationType!);
            return inner is InstrumentedTagHelperFactory ? inner : new InstrumentedTagHelperFactory((ITagHelperFactory)inner);
        }
    }
}
