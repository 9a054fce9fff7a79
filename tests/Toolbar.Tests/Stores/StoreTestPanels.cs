using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Toolbar.Internal;

namespace Toolbar.Tests.Stores;

/// <summary>The toolbar's runtime (built-in panels plus any extra) from a plain service collection.</summary>
internal static class StoreTestPanels
{
    public static ServiceProvider Services(Action<ToolbarOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddDebugToolbar(configure);
        return services.BuildServiceProvider();
    }

    public static ToolbarRuntime Runtime(this IServiceProvider services) => services.GetRequiredService<ToolbarRuntime>();
}
