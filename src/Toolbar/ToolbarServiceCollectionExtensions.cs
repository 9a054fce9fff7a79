using Microsoft.Extensions.DependencyInjection.Extensions;
using Toolbar;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the debug toolbar's services.</summary>
public static class ToolbarServiceCollectionExtensions
{
    /// <summary>
    /// Adds the debug toolbar with its built-in panels. Options come from the <c>Toolbar</c>
    /// configuration section, then from <paramref name="configure"/>. Call
    /// <c>app.UseDebugToolbar()</c> to put it in the pipeline. Panels added later
    /// (<c>o.Panels.Add&lt;MyPanel&gt;()</c>, <c>AddToolbarPanel&lt;MyPanel&gt;()</c>) come after the built-in ones.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configure">Changes the options after configuration is bound.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddDebugToolbar(this IServiceCollection services, Action<ToolbarOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddToolbarCore();
        if (!services.Any(d => d.ServiceType == typeof(BuiltInPanels)))
        {
            // Built-ins first, so that panels added by the app come after them in the toolbar.
            services.TryAddSingleton<BuiltInPanels>();
            BuiltInPanels.AddTo(builder);
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services;
    }
}
