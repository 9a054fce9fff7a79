using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

/// <summary>DNS rebinding (the Host must be this machine's) and forwarded headers (they can only narrow access).</summary>
public class HostAndForwardingTests
{
    private const string Page = "<html><body>page</body></html>";

    private static Task<MiniApp> StartAsync(IPAddress? remote = null, Action<ToolbarOptions>? configure = null, Action<WebApplication>? beforeToolbar = null) =>
        MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            ctx.Response.Headers["X-Seen-Remote"] = ctx.Connection.RemoteIpAddress?.ToString();
            await ctx.Response.WriteAsync(Page);
        }, configure, remoteAddress: remote, beforeToolbar: beforeToolbar);

    private static HttpRequestMessage Get(string path, string? host = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static async Task AssertVisibleAsync(HttpClient client, string? host = null, params (string Name, string Value)[] headers)
    {
        var response = await client.SendAsync(Get("/", host, headers));
        Assert.True(response.Headers.Contains("X-Toolbar-Id"), "toolbar header expected for Host " + host);
        Assert.Contains("toolbar-root", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/_toolbar/api/requests", host, headers))).StatusCode);
    }

    private static async Task AssertInvisibleAsync(HttpClient client, string? host = null, params (string Name, string Value)[] headers)
    {
        var response = await client.SendAsync(Get("/", host, headers));
        Assert.Equal(Page, await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("X-Toolbar-Id"));
        Assert.False(response.Headers.Contains("Server-Timing"));
        foreach (var url in new[] { "/_toolbar/api/requests", "/_toolbar/assets/toolbar.js", "/_toolbar/requests/0123" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get(url, host, headers))).StatusCode);
        }

        var clear = Get("/_toolbar/api/requests/clear", host, headers);
        clear.Method = HttpMethod.Post;
        clear.Headers.Add("X-Toolbar-Request", "1");
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(clear)).StatusCode);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:5000")]
    [InlineData("app.localhost:8080")]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10:443")]
    [InlineData("[::1]:5001")]
    [InlineData("[::ffff:127.0.0.1]")]
    [InlineData("localhost.")]
    public async Task Loopback_host_names_and_addresses_see_the_toolbar(string host)
    {
        await using var app = await StartAsync();
        await AssertVisibleAsync(app.Client, host);
    }

    [Theory]
    [InlineData("rebind.attacker.example")]
    [InlineData("localhost.attacker.example")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("attacker-localhost")]
    [InlineData("[::2]")]
    [InlineData("0.0.0.0:5000")]
    [InlineData("192.0.2.1")]
    [InlineData("127.1")]
    [InlineData("127.0.0.1.5")]
    [InlineData("127.0.0.256")]
    [InlineData("1127.0.0.1")]
    public async Task Dns_rebinding_host_gets_no_injection_no_headers_and_404(string host)
    {
        await using var app = await StartAsync();
        await AssertInvisibleAsync(app.Client, host);
    }

    [Fact]
    public async Task Configured_host_names_are_allowed_and_nothing_else()
    {
        await using var app = await StartAsync(configure: o => o.AllowedHosts.AddRange(["devbox.lan", "*.test"]));
        await AssertVisibleAsync(app.Client, "devbox.lan:5000");
        await AssertVisibleAsync(app.Client, "shop.test");
        await AssertVisibleAsync(app.Client, "localhost");
        await AssertInvisibleAsync(app.Client, "devbox.lan.attacker.example");
        await AssertInvisibleAsync(app.Client, "test");
    }

    [Fact]
    public async Task Allowed_hosts_bind_from_configuration()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration["Toolbar:AllowedHosts:0"] = "devbox.lan";
        builder.Services.AddDebugToolbar();
        RemoteAddressStartupFilter.AddFirst(builder.Services, () => IPAddress.Loopback);
        await using var app = builder.Build();
        app.UseDebugToolbar();
        app.Run(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync(Page);
        });
        await app.StartAsync();
        using var client = app.GetTestServer().CreateClient();
        await AssertVisibleAsync(client, "devbox.lan");
        await AssertInvisibleAsync(client, "other.lan");
    }

    [Fact]
    public async Task Host_check_also_holds_under_a_ShowToolbar_predicate()
    {
        await using var app = await StartAsync(configure: o => o.ShowToolbar = _ => true);
        await AssertVisibleAsync(app.Client, "localhost");
        await AssertInvisibleAsync(app.Client, "rebind.attacker.example");
    }

    [Fact]
    public async Task X_Forwarded_Host_cannot_turn_a_rebinding_host_into_localhost()
    {
        // Forwarded headers from a loopback proxy are trusted by default: the browser's own X-Forwarded-Host would replace Host.
        await using var app = await StartAsync(beforeToolbar: a => a.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.All }));
        await AssertInvisibleAsync(app.Client, "rebind.attacker.example", ("X-Forwarded-Host", "localhost"));
    }

    [Fact]
    public async Task UseForwardedHeaders_with_open_proxies_does_not_let_a_remote_client_in()
    {
        await using var app = await StartAsync(IPAddress.Parse("203.0.113.9"), beforeToolbar: a =>
        {
            var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            a.UseForwardedHeaders(options);
        });

        // The forwarded address really replaced the connection's (the app sees 127.0.0.1), and still nothing shows.
        var response = await app.Client.SendAsync(Get("/", null, ("X-Forwarded-For", "127.0.0.1")));
        Assert.Equal("127.0.0.1", response.Headers.GetValues("X-Seen-Remote").Single());
        await AssertInvisibleAsync(app.Client, null, ("X-Forwarded-For", "127.0.0.1"));
        await AssertInvisibleAsync(app.Client, null, ("X-Forwarded-For", "::1"));
    }

    [Fact]
    public async Task Forwarding_headers_naming_a_remote_client_narrow_a_loopback_connection()
    {
        // A proxy on this machine forwarding a remote browser: the connection is loopback, the client is not.
        await using var app = await StartAsync();
        await AssertInvisibleAsync(app.Client, null, ("X-Forwarded-For", "203.0.113.9"));
        await AssertInvisibleAsync(app.Client, null, ("X-Forwarded-For", "127.0.0.1, 203.0.113.9"));
        await AssertInvisibleAsync(app.Client, null, ("Forwarded", "for=\"[2001:db8::1]:4711\";proto=https"));
        await AssertInvisibleAsync(app.Client, null, ("X-Original-For", "198.51.100.7:5555"));
        await AssertInvisibleAsync(app.Client, null, ("X-Forwarded-For", "unknown"));
        await AssertVisibleAsync(app.Client, null, ("X-Forwarded-For", "127.0.0.1"));
        await AssertVisibleAsync(app.Client, null, ("Forwarded", "for=127.0.0.1;proto=http"));
    }

    [Fact]
    public async Task Loopback_proxy_forwarding_a_remote_client_through_UseForwardedHeaders_is_refused()
    {
        await using var app = await StartAsync(beforeToolbar: a => a.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor }));
        await AssertInvisibleAsync(app.Client, null, ("X-Forwarded-For", "203.0.113.9"));
    }

    [Fact]
    public async Task Real_kestrel_hop_from_a_non_loopback_address_with_forwarded_headers_enabled_is_refused()
    {
        // The host's own switch (what ASPNETCORE_FORWARDEDHEADERS_ENABLED=true sets): any proxy trusted, X-Forwarded-For applied first.
        var local = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Assert.True(local is not null, "This test needs a non-loopback IPv4 interface to connect through.");

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            Args = ["--ForwardedHeaders_Enabled=true"],
        });
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Any, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddDebugToolbar();
        await using var app = builder.Build();
        app.UseDebugToolbar();
        app.Run(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            ctx.Response.Headers["X-Seen-Remote"] = ctx.Connection.RemoteIpAddress?.ToString();
            await ctx.Response.WriteAsync(Page);
        });
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;

        using var remote = new HttpClient { BaseAddress = new Uri($"http://{local}:{port}") };
        var seen = await remote.SendAsync(Get("/", "localhost", ("X-Forwarded-For", "127.0.0.1")));
        Assert.Equal("127.0.0.1", seen.Headers.GetValues("X-Seen-Remote").Single());
        await AssertInvisibleAsync(remote, "localhost", ("X-Forwarded-For", "127.0.0.1"));

        // The same server from a loopback connection shows the toolbar: the refusal above is the hop, not the setup.
        using var loopback = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await AssertVisibleAsync(loopback);
    }
}
