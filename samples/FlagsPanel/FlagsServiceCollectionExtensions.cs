using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Toolbar;

namespace ToolbarFlags;

/// <summary>Registers the Flags panel and the <see cref="IFeatureFlags"/> service.</summary>
public static class FlagsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IFeatureFlags"/> for the app and the Flags panel to the debug toolbar (after the panels
    /// already registered). The flag service works without the toolbar too: it then reads configuration only.
    /// </summary>
    public static IServiceCollection AddFlagsPanel(this IServiceCollection services, Action<FlagsPanelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<FlagsPanelOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddHttpContextAccessor();
        // One instance for the toolbar and the flag service: the toolbar takes a panel from DI when it is registered there.
        services.TryAddSingleton<FlagsPanel>();
        services.TryAddSingleton<IFeatureFlags, FeatureFlagService>();
        services.AddToolbarPanel<FlagsPanel>();
        return services;
    }
}
