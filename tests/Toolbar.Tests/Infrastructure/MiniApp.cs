using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Toolbar.Tests.Infrastructure;

/// <summary>
/// A tiny host with just the toolbar and one handler, on a TestServer: the shape of ASP.NET Core's
/// own middleware tests. Dispose it at the end of the test.
/// </summary>
public sealed class MiniApp : IAsyncDisposable
{
    private MiniApp(WebApplication app)
    {
        App = app;
        Client = app.GetTestServer().CreateClient();
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public TestServer Server => App.GetTestServer();

    public IServiceProvider Services => App.Services;

    public static async Task<MiniApp> StartAsync(
        RequestDelegate handler,
        Action<ToolbarOptions>? configure = null,
        string environment = "Development",
        IPAddress? remoteAddress = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? beforeToolbar = null,
        Action<WebApplication>? afterToolbar = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddDebugToolbar(configure);
        services?.Invoke(builder.Services);
        var address = remoteAddress ?? IPAddress.Loopback;
        RemoteAddressStartupFilter.AddFirst(builder.Services, () => address);
        var app = builder.Build();
        beforeToolbar?.Invoke(app);
        app.UseDebugToolbar();
        afterToolbar?.Invoke(app);
        app.Run(handler);
        await app.StartAsync();
        return new MiniApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
