using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Memory;

public class MemoryRequestTests
{
    private const int TenMegabytes = 10 * 1024 * 1024;

    private static async Task<JsonElement> MemoryDataAsync(MiniApp app, string path = "/")
    {
        var response = await app.Client.GetAsync(path);
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var json = await app.Client.GetStringAsync($"/_toolbar/api/requests/{id}");
        return JsonDocument.Parse(json).RootElement.GetProperty("panels").GetProperty("memory").Clone();
    }

    // Keeps the array from being optimised away without keeping it alive past the request.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Touch(byte[] bytes) => bytes.Length;

    private static void AssertWithinTenPercent(long expected, long actual) =>
        Assert.InRange(actual, (long)(expected * 0.9), (long)(expected * 1.1));

    [Fact]
    public async Task Request_allocating_ten_megabytes_reports_ten_megabytes()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            await Task.Yield();
            var length = Touch(new byte[TenMegabytes]);
            await ctx.Response.WriteAsync(length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });

        var data = await MemoryDataAsync(app);

        AssertWithinTenPercent(TenMegabytes, data.GetProperty("allocatedBytes").GetInt64());
    }

    [Fact]
    public async Task Allocations_spread_over_thread_hops_are_all_counted()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            // Ten 1 MB arrays, each after an await that resumes on a thread-pool thread.
            for (var i = 0; i < 10; i++)
            {
                await Task.Delay(1);
                Touch(new byte[TenMegabytes / 10]);
            }

            await ctx.Response.WriteAsync("done");
        });

        var data = await MemoryDataAsync(app);

        AssertWithinTenPercent(TenMegabytes, data.GetProperty("allocatedBytes").GetInt64());
        Assert.True(data.GetProperty("threadHops").GetInt32() >= 10);
    }

    [Fact]
    public async Task Concurrent_requests_each_count_only_their_own_allocations()
    {
        using var bothRunning = new Barrier(2);
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            var megabytes = int.Parse(ctx.Request.Query["mb"]!, System.Globalization.CultureInfo.InvariantCulture);
            await Task.Run(() => bothRunning.SignalAndWait(TimeSpan.FromSeconds(10)));
            for (var i = 0; i < megabytes; i++)
            {
                await Task.Yield();
                Touch(new byte[1024 * 1024]);
            }

            await Task.Run(() => bothRunning.SignalAndWait(TimeSpan.FromSeconds(10)));
            await ctx.Response.WriteAsync("done");
        });

        // Warm up first: the first tracked request also builds the panels' shared caches (route map, config),
        // which is that request's own work but not what this test measures.
        await Task.WhenAll(MemoryDataAsync(app, "/?mb=0"), MemoryDataAsync(app, "/?mb=0"));
        var small = MemoryDataAsync(app, "/?mb=2");
        var large = MemoryDataAsync(app, "/?mb=20");
        var results = await Task.WhenAll(small, large);

        AssertWithinTenPercent(2 * 1024 * 1024, results[0].GetProperty("allocatedBytes").GetInt64());
        AssertWithinTenPercent(20 * 1024 * 1024, results[1].GetProperty("allocatedBytes").GetInt64());
    }

    [Fact]
    public async Task Induced_full_collection_during_request_is_counted_in_gen2()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true);
            await ctx.Response.WriteAsync("collected");
        });

        var data = await MemoryDataAsync(app);

        // Other tests in this process may collect too, so at least the one this request forced.
        Assert.True(data.GetProperty("gen2Collections").GetInt32() >= 1);
        Assert.True(data.GetProperty("gen0Collections").GetInt32() >= 1);
    }

    [Fact]
    public async Task Memory_data_has_the_design_fields()
    {
        await using var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("hi"));

        var data = await MemoryDataAsync(app);

        foreach (var field in new[] { "allocatedBytes", "gen0Collections", "gen1Collections", "gen2Collections", "heapSizeBytes", "gcPauseMs" })
        {
            Assert.True(data.TryGetProperty(field, out _), field);
        }

        Assert.True(data.GetProperty("heapSizeBytes").GetInt64() > 0);
        Assert.True(data.GetProperty("workingSetBytes").GetInt64() > 0);
        Assert.Contains("execution context", data.GetProperty("allocationMeasurement").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nav_subtitle_shows_allocated_megabytes()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            Touch(new byte[TenMegabytes]);
            await ctx.Response.WriteAsync("hi");
        });
        var response = await app.Client.GetAsync("/");
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();

        var nav = JsonDocument.Parse(await app.Client.GetStringAsync($"/_toolbar/api/requests/{id}/toolbar")).RootElement;

        var memory = nav.GetProperty("panels").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "memory");
        Assert.Matches(@"^10\.\d MB alloc$", memory.GetProperty("subtitle").GetString());
    }

    [Fact]
    public async Task Panel_html_shows_the_allocated_bytes()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            Touch(new byte[TenMegabytes]);
            await ctx.Response.WriteAsync("hi");
        });
        var response = await app.Client.GetAsync("/");
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();

        var html = await app.Client.GetStringAsync($"/_toolbar/requests/{id}/panels/memory");

        Assert.Matches(@"10\.\d MB</div>\s*<div class=""tb-stat-label"">allocated by this request", html);
        Assert.Contains("data-memory-take", html, StringComparison.Ordinal);
    }
}
