using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toolbar.Tests.Grpc;

/// <summary>
/// The README's note on gRPC apps, on a real Kestrel: an HTTP/2-only endpoint (the gRPC template's setting)
/// refuses a browser's HTTP/1.1 request; without TLS, <c>Http1AndHttp2</c> refuses gRPC clients instead; an HTTP/1.1
/// endpoint beside the HTTP/2 one serves both, and the toolbar's JSON API answers over HTTP/2 as well.
/// </summary>
public class GrpcKestrelTests
{
    [Fact]
    public async Task Http2_only_kestrel_refuses_a_browsers_http11_request()
    {
        await using var app = await StartAsync(new() { ["Kestrel:EndpointDefaults:Protocols"] = "Http2" });
        using var client = new HttpClient { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        var response = await client.GetAsync(new Uri(app.Address, "/page"));

        // Kestrel answers this itself, before any middleware: neither the page nor the toolbar can be reached.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("HTTP/2 only endpoint", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http1AndHttp2_without_tls_refuses_grpc_clients()
    {
        await using var app = await StartAsync(new() { ["Kestrel:EndpointDefaults:Protocols"] = "Http1AndHttp2" });
        using var channel = GrpcChannel.ForAddress(app.Address);

        // Without TLS there is no protocol negotiation: Kestrel takes the connection as HTTP/1.1.
        var error = await Assert.ThrowsAsync<RpcException>(() => new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "Ada" }).ResponseAsync);
        Assert.Contains("HTTP_1_1_REQUIRED", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http11_endpoint_beside_the_http2_one_serves_the_toolbar_and_its_records_over_http2()
    {
        var (grpcPort, browserPort) = (FreePort(), FreePort());
        await using var app = await StartAsync(new()
        {
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:Browser:Url"] = $"http://127.0.0.1:{browserPort}",
            ["Kestrel:Endpoints:Browser:Protocols"] = "Http1",
        });
        var grpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
        using var browser = new HttpClient { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var h2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        var page = await browser.GetAsync(new Uri($"http://127.0.0.1:{browserPort}/page"));
        Assert.Equal(HttpVersion.Version11, page.Version);
        Assert.Contains("/_toolbar/", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var channel = GrpcChannel.ForAddress(grpcAddress);
        var call = new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "nobody" });
        var id = await GrpcOutcomeTests.ToolbarIdAsync(call);
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        var response = await h2.GetAsync(new Uri(grpcAddress, $"/_toolbar/api/requests/{id}"));
        Assert.Equal(HttpVersion.Version20, response.Version);
        var record = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(200, record.GetProperty("statusCode").GetInt32());
        Assert.Equal((int)StatusCode.NotFound, record.GetProperty("grpcStatus").GetInt32());
        Assert.Equal("HTTP/2", record.GetProperty("panels").GetProperty("request").GetProperty("protocol").GetString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<KestrelApp> StartAsync(Dictionary<string, string?> kestrel)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        // What appsettings(.Development).json says in a gRPC app: Kestrel's endpoints and their protocols.
        builder.Configuration.AddInMemoryCollection(kestrel);
        if (!kestrel.Keys.Any(k => k.StartsWith("Kestrel:Endpoints:", StringComparison.Ordinal)))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }

        builder.Logging.ClearProviders();
        builder.Services.AddDebugToolbar();
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.UseDebugToolbar();
        app.MapGrpcService<GreeterService>();
        app.MapGet("/page", () => Results.Content("<!DOCTYPE html><html><head><title>p</title></head><body><p>page</p></body></html>", "text/html"));
        await app.StartAsync();
        return new KestrelApp(app);
    }

    private sealed class KestrelApp(WebApplication app) : IAsyncDisposable
    {
        public Uri Address { get; } = new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
