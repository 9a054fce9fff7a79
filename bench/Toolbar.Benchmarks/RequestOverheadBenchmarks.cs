using BenchmarkDotNet.Attributes;

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
    private BenchSampleApp? _app;
    private HttpClient _client = null!;

    [Params("/api/products", "/products")]
    public string Path { get; set; } = "";

    [Params(false, true)]
    public bool Toolbar { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _app = new BenchSampleApp(Toolbar);
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
}
