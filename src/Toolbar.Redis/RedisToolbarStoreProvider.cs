using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Toolbar.Stores;

namespace Toolbar.Redis;

/// <summary>
/// The <c>redis</c> store: selected by <c>Toolbar:Store = redis</c> with <c>Toolbar:Redis = host:port</c>. The
/// toolbar finds this provider when the package is referenced; no registration needed.
/// </summary>
public sealed class RedisToolbarStoreProvider : IToolbarStoreProvider
{
    /// <inheritdoc />
    public string Name => "redis";

    /// <inheritdoc />
    public IToolbarStore Create(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptions<ToolbarOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            throw new InvalidOperationException("Toolbar:Store is 'redis' but Toolbar:Redis (e.g. 127.0.0.1:6379) is not set.");
        }

        return new RedisToolbarStore(Connect(options.Redis), services.GetRequiredService<RequestRecordSerializer>(),
            services.GetRequiredService<ILogger<DistributedToolbarStore>>());
    }

    /// <summary>
    /// A connection private to the toolbar (the app's own Redis clients are left alone), tuned so that a dead server
    /// fails calls at once instead of making anyone wait: no abort at startup, short timeouts, no backlog.
    /// </summary>
    internal static ConnectionMultiplexer Connect(string redis)
    {
        var configuration = ConfigurationOptions.Parse(redis);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = Math.Min(configuration.ConnectTimeout, 1000);
        configuration.SyncTimeout = Math.Min(configuration.SyncTimeout, 1000);
        configuration.AsyncTimeout = Math.Min(configuration.AsyncTimeout, 1000);
        configuration.ConnectRetry = 1;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        configuration.ClientName ??= "toolbar";
        return ConnectionMultiplexer.Connect(configuration);
    }
}
