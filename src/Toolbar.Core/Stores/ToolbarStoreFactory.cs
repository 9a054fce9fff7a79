using System.Reflection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Toolbar.Internal;

namespace Toolbar.Stores;

/// <summary>Creates the store named by <see cref="ToolbarOptions.Store"/>.</summary>
internal static class ToolbarStoreFactory
{
    /// <summary>The package (and assembly) that brings the <c>redis</c> store.</summary>
    internal const string RedisPackage = "Toolbar.Redis";

    public static IToolbarStore Create(IServiceProvider services) => Create(services, LoadAssembly);

    internal static IToolbarStore Create(IServiceProvider services, Func<string, Assembly?> loadAssembly)
    {
        var options = services.GetRequiredService<IOptions<ToolbarOptions>>().Value;
        var name = options.Store.Trim().ToLowerInvariant();
        switch (name)
        {
            case "memory" or "":
                return ActivatorUtilities.CreateInstance<InMemoryToolbarStore>(services);
            case "distributed":
                // Whatever IDistributedCache the app registered (SQL Server, NCache, ...): the app owns it.
                return new DistributedToolbarStore(services.GetRequiredService<IDistributedCache>(), services.GetRequiredService<ToolbarRuntime>(),
                    services.GetRequiredService<ILogger<DistributedToolbarStore>>());
        }

        var provider = services.GetServices<IToolbarStoreProvider>().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        if (provider is null && name == "redis")
        {
            // Found by reference alone, so that Toolbar__Store=redis stays a one-line switch once the package is added.
            provider = FindProvider(loadAssembly(RedisPackage), name)
                ?? throw new InvalidOperationException(
                    $"Toolbar:Store is 'redis', but the {RedisPackage} package is not referenced. Add it with 'dotnet add package {RedisPackage}', or use Toolbar:Store 'memory'.");
        }

        return provider?.Create(services)
            ?? throw new InvalidOperationException($"Unknown toolbar store '{name}'. Use 'memory', 'redis' (package {RedisPackage}), 'distributed' or register an {nameof(IToolbarStoreProvider)} named '{name}'.");
    }

    private static IToolbarStoreProvider? FindProvider(Assembly? assembly, string name)
    {
        if (assembly is null)
        {
            return null;
        }

        foreach (var type in assembly.GetExportedTypes())
        {
            if (typeof(IToolbarStoreProvider).IsAssignableFrom(type) && !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) is not null
                && Activator.CreateInstance(type) is IToolbarStoreProvider provider
                && string.Equals(provider.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return provider;
            }
        }

        return null;
    }

    private static Assembly? LoadAssembly(string name)
    {
        try
        {
            return Assembly.Load(new AssemblyName(name));
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException)
        {
            return null;
        }
    }
}
