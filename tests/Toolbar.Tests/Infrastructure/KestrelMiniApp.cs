using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Toolbar.Tests.Infrastructure;

/// <summary>
/// Like <see cref="MiniApp"/>, but on a real Kestrel port on 127.0.0.1: for what a TestServer cannot
/// show (a client that resets its connection, real socket framing).
/// </summary>
public sealed class KestrelMiniApp : IAsyncDisposable
{
    private KestrelMiniApp(WebApplication app)
    {
        App = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<KestrelMiniApp> StartAsync(
        RequestDelegate handler,
        Action<ToolbarOptions>? configure = null,
        Action<WebApplication>? beforeToolbar = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddDebugToolbar(configure);
        var app = builder.Build();
        beforeToolbar?.Invoke(app);
        app.UseDebugToolbar();
        app.Run(handler);
        await app.StartAsync();
        return new KestrelMiniApp(app);
    }

    /// <summary>
    /// Sends a GET on a raw socket, reads until <paramref name="marker"/> arrived, then resets the
    /// connection (linger 0): a browser tab closed mid-page. Returns what was read.
    /// </summary>
    public async Task<string> GetThenResetAsync(string path, string marker)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, BaseAddress.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        var received = new StringBuilder();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!received.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
        return received.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
