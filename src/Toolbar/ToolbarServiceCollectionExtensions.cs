using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolbar.Internal;
using Toolbar.Stores;

namespace Toolbar;

/// <summary>Registers the debug toolbar's services.</summary>
public static class ToolbarServiceCollectionExtensions
{
    /// <summary>
    /// Adds the debug toolbar with its built-in panels. Options come from the <c>Toolbar</c>
    /// configuration section, then from <paramref name="configure"/>. Call
    /// <see cref="ToolbarApplicationBuilderExtensions.UseDebugToolbar"/> to put it in the pipeline.
    /// </summary>
    public static IServiceCollection AddDebugToolbar(this IServiceCollection services, Action<ToolbarOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(ToolbarRuntime)))
        {
            // Built-ins first, so that panels added by the app come after them in the toolbar.
            services.Configure<ToolbarOptions>(o => BuiltInPanels.AddTo(o.Panels));
            services.AddOptions<ToolbarOptions>().BindConfiguration("Toolbar");
            services.AddOptions<Panels.Sql.SqlPanelOptions>().BindConfiguration("Toolbar:Sql");
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<ToolbarAccess>();
        services.TryAddSingleton(sp => new SecretMasker(sp.GetRequiredService<IOptions<ToolbarOptions>>()));
        services.TryAddSingleton<ToolbarRuntime>();
        services.TryAddSingleton<PanelRenderer>();
        // The logs panel's collector: one logger provider that hands records to the tracked request's panel.
        services.TryAddSingleton<Panels.Logs.LogSink>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, Panels.Logs.ToolbarLoggerProvider>());
        services.TryAddSingleton<IToolbarStore>(ToolbarStoreFactory.Create);
        // The cache panel's collector, and its wrappers around the app's caches (also those registered later).
        Panels.Cache.CacheDecoration.AddTo(services);
        return services;
    }

    /// <summary>Adds a panel after the ones already registered (same as <c>o.Panels.Add&lt;TPanel&gt;()</c>).</summary>
    public static IServiceCollection AddToolbarPanel<TPanel>(this IServiceCollection services) where TPanel : ToolbarPanel
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddDebugToolbar();
        services.Configure<ToolbarOptions>(o => o.Panels.Add<TPanel>());
        return services;
    }
}
