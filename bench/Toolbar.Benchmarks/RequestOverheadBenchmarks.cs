using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Toolbar.Benchmarks;

/// <summary>
/// The toolbar's fixed cost per request, in-process: one request to the sample app on a TestServer with the
/// toolbar shown (every panel on) and with <c>Toolbar:Enabled=false</c>. No sockets, so the figures are the
/// app's own CPU and, above all, the bytes allocated per request (deterministic, unlike throughput on a
/// shared machine). <c>bench/load.sh</c> measures the same thing end to end.
/// </summary>
[MemoryDiagnoser]
public class RequestOverheadBenchmarks
{
    private SampleApp? _app;
    private HttpClient _client = null!;

    [Params("/api/products", "/products")]
    public string Path { get; set; } = "";

    [Params(false, true)]
    public bool Toolbar { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _app = new SampleApp(Toolbar);
        _client = _app.CreateClient();
        for (var i = 0; i < 200; i++)
        {
            // Warm EF Core's query cache and the toolbar's shared snapshots (route map, config).
            _client.GetAsync(Path).GetAwaiter().GetResult().Dispose();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _app?.Dispose();
    }

    [Benchmark]
    public async Task<int> Request()
    {
        using var response = await _client.GetAsync(Path);
        var body = await response.Content.ReadAsByteArrayAsync();
        return body.Length;
    }

    private sealed class SampleApp(bool toolbar) : WebApplicationFactory<global::Program>
    {
        private readonly string _db = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"toolbar-bench-{Guid.NewGuid():N}.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSolutionRelativeContentRoot("samples/SampleApp");
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Main", $"Data Source={_db}");
            builder.UseSetting("Toolbar:Enabled", toolbar ? "true" : "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.ConfigureServices(services => services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter>(new LoopbackClient())));
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            File.Delete(_db);
        }
    }

    /// <summary>TestServer reports no client address; the toolbar only shows itself to loopback clients.</summary>
    private sealed class LoopbackClient : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextDelegate) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                return nextDelegate(context);
            });
            next(app);
        };
    }
}
