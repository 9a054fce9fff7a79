using Microsoft.Extensions.DependencyInjection;
using Toolbar.Redis;
using Toolbar.Stores;
using Toolbar.Tests.Stores;

namespace Toolbar.Tests.Core;

/// <summary>Which store <c>Toolbar:Store</c> selects, and the error when its package is missing.</summary>
public class StoreSelectionTests
{
    [Fact]
    public void Redis_without_the_package_fails_at_startup_naming_the_package()
    {
        using var services = StoreTestPanels.Services(o =>
        {
            o.Store = "redis";
            o.Redis = "127.0.0.1:1";
        });

        // As if Toolbar.Redis were not referenced: the assembly cannot be loaded.
        var error = Assert.Throws<InvalidOperationException>(() => ToolbarStoreFactory.Create(services, _ => null));

        Assert.Contains("Toolbar.Redis package is not referenced", error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet add package Toolbar.Redis", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_with_the_package_referenced_is_found_without_registration()
    {
        using var services = StoreTestPanels.Services(o =>
        {
            o.Store = "redis";
            o.Redis = "127.0.0.1:1";
        });

        await using var store = (RedisToolbarStore)services.GetRequiredService<IToolbarStore>();

        Assert.IsType<RedisToolbarStore>(store);
    }

    [Fact]
    public void A_registered_provider_supplies_a_store_by_name()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IToolbarStoreProvider, NamedProvider>();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddDebugToolbar(o => o.Store = "Custom");
        using var provider = services.BuildServiceProvider();

        Assert.IsType<InMemoryToolbarStore>(provider.GetRequiredService<IToolbarStore>());
        Assert.True(provider.GetServices<IToolbarStoreProvider>().OfType<NamedProvider>().Single().Created);
    }

    [Fact]
    public void Unknown_store_name_fails_with_the_known_names()
    {
        using var services = StoreTestPanels.Services(o => o.Store = "cassandra");

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IToolbarStore>());

        Assert.Contains("Unknown toolbar store 'cassandra'", error.Message, StringComparison.Ordinal);
    }

    private sealed class NamedProvider : IToolbarStoreProvider
    {
        public bool Created { get; private set; }

        public string Name => "custom";

        public IToolbarStore Create(IServiceProvider services)
        {
            Created = true;
            return ActivatorUtilities.CreateInstance<InMemoryToolbarStore>(services);
        }
    }
}
