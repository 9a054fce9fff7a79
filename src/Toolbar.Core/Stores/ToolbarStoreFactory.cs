using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Toolbar.Internal;

namespace Toolbar.Stores;

/// <summary>Creates the store named by <see cref="ToolbarOptions.Store"/>.</summary>
internal static class ToolbarStoreFactory
{
    public static IToolbarStore Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ToolbarOptions>>().Value;
        switch (options.Store.Trim().ToLowerInvariant())
        {
            case "memory" or "":
                return ActivatorUtilities.CreateInstance<InMemoryToolbarStore>(services);
            case "redis":
                var cache = CreateRedisCache(options);
                return new DistributedToolbarStore(cache, services.GetRequiredService<ToolbarRuntime>(),
                    services.GetRequiredService<ILogger<DistributedToolbarStore>>(), ownedCache: cache);
            case "distributed":
                // Whatever IDistributedCache the app registered (SQL Server, NCache, ...): the app owns it.
                return new DistributedToolbarStore(services.GetRequiredService<IDistributedCache>(), services.GetRequiredService<ToolbarRuntime>(),
                    services.GetRequiredService<ILogger<DistributedToolbarStore>>());
            case var other:
                throw new InvalidOperationException($"Unknown toolbar store '{other}'. Use 'memory', 'redis' or 'distributed'.");
        }
    }

    /// <summary>
    /// A Redis cache private to the toolbar (the app's own IDistributedCache is left alone), tuned so that a dead
    /// server fails calls at once instead of making anyone wait: no abort at startup, short timeouts, no backlog.
    /// </summary>
    internal static RedisCache CreateRedisCache(ToolbarOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            throw new InvalidOperationException("Toolbar:Store is 'redis' but Toolbar:Redis (e.g. 127.0.0.1:6379) is not set.");
        }

        var configuration = ConfigurationOptions.Parse(options.Redis);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = Math.Min(configuration.ConnectTimeout, 1000);
        configuration.SyncTimeout = Math.Min(configuration.SyncTimeout, 1000);
        configuration.AsyncTimeout = Math.Min(configuration.AsyncTimeout, 1000);
        configuration.ConnectRetry = 1;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        configuration.ClientName ??= "toolbar";
        return new RedisCache(Options.Create(new RedisCacheOptions { ConfigurationOptions = configuration }));
    }
}
