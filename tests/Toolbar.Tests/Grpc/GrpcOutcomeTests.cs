using System.Globalization;
using System.Net;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Grpc;

/// <summary>gRPC calls answer HTTP 200 even when they fail: the record must carry the gRPC outcome.</summary>
public class GrpcOutcomeTests
{
    [Fact]
    public async Task Failed_call_is_recorded_with_its_grpc_status_and_message()
    {
        await using var app = await StartAsync();
        var client = new Greeter.GreeterClient(app.Channel);

        var call = client.SayHelloAsync(new HelloRequest { Name = "Zoë" });
        var id = await ToolbarIdAsync(call);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var record = await app.GetJsonAsync($"/_toolbar/api/requests/{id}");
        Assert.Equal(200, record.GetProperty("statusCode").GetInt32());
        Assert.Equal((int)StatusCode.NotFound, record.GetProperty("grpcStatus").GetInt32());
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, GreeterService.MissingMessage, "Zoë"), record.GetProperty("grpcMessage").GetString());
        Assert.Equal(error.Status.Detail, record.GetProperty("grpcMessage").GetString());
    }

    [Fact]
    public async Task Successful_call_is_recorded_with_grpc_status_ok()
    {
        await using var app = await StartAsync();
        var client = new Greeter.GreeterClient(app.Channel);

        var call = client.SayHelloAsync(new HelloRequest { Name = "Ada" });
        var id = await ToolbarIdAsync(call);
        var reply = await call.ResponseAsync;

        Assert.Equal("Hello Ada", reply.Message);
        var record = await app.GetJsonAsync($"/_toolbar/api/requests/{id}");
        Assert.Equal(0, record.GetProperty("grpcStatus").GetInt32());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("grpcMessage").ValueKind);
    }

    [Fact]
    public async Task List_history_and_nav_show_the_grpc_outcome()
    {
        await using var app = await StartAsync();
        var client = new Greeter.GreeterClient(app.Channel);
        var failed = client.SayHelloAsync(new HelloRequest { Name = "nobody" });
        var failedId = await ToolbarIdAsync(failed);
        await Assert.ThrowsAsync<RpcException>(() => failed.ResponseAsync);
        var ok = client.SayHelloAsync(new HelloRequest { Name = "Grace" });
        var okId = await ToolbarIdAsync(ok);
        await ok.ResponseAsync;

        var list = (await app.GetJsonAsync("/_toolbar/api/requests")).EnumerateArray().ToList();
        Assert.Equal(5, list.Single(r => r.GetProperty("id").GetString() == failedId).GetProperty("grpcStatus").GetInt32());
        Assert.Equal(0, list.Single(r => r.GetProperty("id").GetString() == okId).GetProperty("grpcStatus").GetInt32());

        var history = (await app.GetJsonAsync("/_toolbar/panels/history/entries")).GetProperty("entries").EnumerateArray().ToList();
        var failedEntry = history.Single(r => r.GetProperty("id").GetString() == failedId);
        Assert.Equal(5, failedEntry.GetProperty("grpcStatus").GetInt32());
        Assert.Equal("No person named \"nobody\" (100% unknown)", failedEntry.GetProperty("grpcMessage").GetString());

        var nav = await app.GetJsonAsync($"/_toolbar/api/requests/{failedId}/toolbar");
        Assert.Equal(5, nav.GetProperty("grpcStatus").GetInt32());
    }

    [Fact]
    public async Task Plain_http_request_has_no_grpc_status()
    {
        await using var app = await StartAsync();

        var response = await app.Client.GetAsync("/plain");
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();

        var record = await app.GetJsonAsync($"/_toolbar/api/requests/{id}");
        Assert.False(record.TryGetProperty("grpcStatus", out _));
        var listed = (await app.GetJsonAsync("/_toolbar/api/requests")).EnumerateArray().Single(r => r.GetProperty("id").GetString() == id);
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("grpcStatus").ValueKind);
    }

    internal static async Task<string> ToolbarIdAsync(AsyncUnaryCall<HelloReply> call)
    {
        try
        {
            var headers = await call.ResponseHeadersAsync;
            return headers.GetValue("x-toolbar-id") ?? throw new InvalidOperationException("no X-Toolbar-Id header");
        }
        catch (RpcException ex)
        {
            // A trailers-only answer (the failed call) carries its headers with the status.
            return ex.Trailers.GetValue("x-toolbar-id") ?? throw new InvalidOperationException("no X-Toolbar-Id header", ex);
        }
    }

    private static async Task<GrpcApp> StartAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddDebugToolbar();
        builder.Services.AddGrpc();
        RemoteAddressStartupFilter.AddFirst(builder.Services, () => IPAddress.Loopback);
        var app = builder.Build();
        app.UseDebugToolbar();
        app.MapGrpcService<GreeterService>();
        app.MapGet("/plain", () => "plain");
        await app.StartAsync();
        return new GrpcApp(app);
    }

    private sealed class GrpcApp : IAsyncDisposable
    {
        public GrpcApp(WebApplication app)
        {
            App = app;
            var server = app.GetTestServer();
            Client = server.CreateClient();
            // TestServer's handler carries HTTP/2 requests with trailers, as gRPC needs.
            Channel = GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.CreateHandler() });
        }

        public WebApplication App { get; }

        public HttpClient Client { get; }

        public GrpcChannel Channel { get; }

        public async Task<JsonElement> GetJsonAsync(string path)
        {
            var json = await Client.GetStringAsync(path);
            return JsonDocument.Parse(json).RootElement.Clone();
        }

        public async ValueTask DisposeAsync()
        {
            Channel.Dispose();
            Client.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
