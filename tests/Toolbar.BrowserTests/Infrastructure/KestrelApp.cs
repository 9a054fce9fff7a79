using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolbar;

namespace Toolbar.BrowserTests.Infrastructure;

/// <summary>
/// A small app built in code (the compatibility apps) on a real Kestrel port on 127.0.0.1, in Development,
/// with the toolbar first in the pipeline. Its application name is this test assembly, so MVC, Razor Pages and
/// Blazor find the views and components compiled into it.
/// </summary>
public sealed class KestrelApp : IAsyncDisposable
{
    private KestrelApp(WebApplication app)
    {
        App = app;
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public WebApplication App { get; }

    /// <summary>http://127.0.0.1:PORT (no trailing slash).</summary>
    public string BaseUrl { get; }

    public static async Task<KestrelApp> StartAsync(Action<WebApplication> configure, Action<WebApplicationBuilder>? services = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ApplicationName = typeof(KestrelApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddDebugToolbar();
        services?.Invoke(builder);
        var app = builder.Build();
        app.UseDebugToolbar();
        // Browsers ask for it on every page; a 404 would show up as a console error in every test.
        app.MapGet("/favicon.ico", () => Results.NoContent());
        configure(app);
        await app.StartAsync();
        return new KestrelApp(app);
    }

    /// <summary>A fresh page of the shared browser pointed at this app.</summary>
    public async Task<PageSession> NewPageAsync(BrowserFixture browser)
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        return new PageSession(context, page, BaseUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
