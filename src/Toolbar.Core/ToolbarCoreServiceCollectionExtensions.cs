using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Toolbar;
using Toolbar.Internal;
using Toolbar.Stores;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the toolbar's panel-neutral core and panels built on it.</summary>
public static class ToolbarCoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the toolbar's core (middleware services, record store, endpoints, UI shell) with no panel. Options
    /// come from the <c>Toolbar</c> configuration section, then from <paramref name="configure"/>. Panels are
    /// added on the returned builder; <c>AddDebugToolbar()</c> of the <c>Toolbar</c> package calls this and
    /// adds the built-in panels the same way. Safe to call more than once.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configure">Changes the options after configuration is bound.</param>
    /// <returns>A builder to add panels and their services with.</returns>
    public static IToolbarBuilder AddToolbarCore(this IServiceCollection services, Action<ToolbarOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(ToolbarRuntime)))
        {
            services.AddOptions<ToolbarOptions>().BindConfiguration("Toolbar");
            // First of all startup filters: its middleware must see the connection before forwarded headers rewrite it.
            services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, ToolbarEdgeStartupFilter>());
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<ToolbarAccess>();
        services.TryAddSingleton(sp => new SecretMasker(sp.GetRequiredService<IOptions<ToolbarOptions>>()));
        services.TryAddSingleton<ToolbarRuntime>();
        services.TryAddSingleton<AppCode>();
        services.TryAddSingleton(sp => new ToolbarPanels(sp.GetRequiredService<ToolbarRuntime>()));
        services.TryAddSingleton(sp => new RequestRecordSerializer(sp.GetRequiredService<ToolbarRuntime>()));
        services.TryAddSingleton<PanelRenderer>();
        services.TryAddSingleton<IToolbarStore>(ToolbarStoreFactory.Create);
        services.TryAddSingleton(sp => new ToolbarTracking(sp.GetRequiredService<ToolbarAccess>(), sp.GetRequiredService<IOptions<ToolbarOptions>>()));
        ShareHttpContextAccessor(services);
        return new ToolbarBuilder(services);
    }

    // The framework's accessor keeps the context in an async local of its own; where the toolbar can track requests,
    // its own accessor keeps it in the toolbar's local instead (one local fewer on every request, see RequestAmbient).
    // Registered when the app has none yet too, so that the order of AddHttpContextAccessor() and AddDebugToolbar()
    // does not matter; where the toolbar can never track (Production by default) it is the framework's accessor.
    private static void ShareHttpContextAccessor(IServiceCollection services)
    {
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IHttpContextAccessor));
        if (existing is not null && (existing.IsKeyedService || existing.ImplementationType != typeof(HttpContextAccessor)))
        {
            // The app's own accessor (or ours, registered already): left alone.
            return;
        }

        if (existing is not null)
        {
            services.Remove(existing);
        }

        services.AddSingleton<IHttpContextAccessor>(static sp => sp.GetRequiredService<ToolbarTracking>().CanTrackAny
            ? new ToolbarHttpContextAccessor()
            : new HttpContextAccessor());
    }

    /// <summary>
    /// Adds a panel after the ones already registered (same as <c>o.Panels.Add&lt;TPanel&gt;()</c>), adding the
    /// toolbar's core if it is not there yet. Call it after <c>AddDebugToolbar()</c> to keep the built-in panels first.
    /// </summary>
    /// <typeparam name="TPanel">The panel type.</typeparam>
    /// <param name="services">The app's services.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddToolbarPanel<TPanel>(this IServiceCollection services) where TPanel : ToolbarPanel
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddToolbarCore().AddPanel<TPanel>();
        return services;
    }
}
