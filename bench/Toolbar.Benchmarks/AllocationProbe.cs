using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Microsoft.Extensions.DependencyInjection;

namespace Toolbar.Benchmarks;

/// <summary>
/// A quick look at where a tracked request's extra bytes go, between BenchmarkDotNet runs:
/// <c>dotnet run -c Release --project bench/Toolbar.Benchmarks -- alloc [path] [requests]</c>.
/// The sample app runs in-process with the toolbar off and shown; each side serves the same number of requests
/// one after the other, and the bytes allocated per request (all threads) are compared. The runtime's allocation
/// ticks (one per ~100 KB allocated) give the types, a sampled picture of where the difference is.
/// </summary>
internal static class AllocationProbe
{
    /// <summary>
    /// <c>alloc-panels [path] [requests]</c>: the extra bytes per request with every panel on, with the core alone,
    /// with each panel switched off in turn and with each panel alone, as a Markdown table.
    /// </summary>
    public static void RunPanels(string[] args)
    {
        var path = args.Length > 1 ? args[1] : "/api/products";
        var requests = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 4000;
        var extra = args.Skip(3).ToArray();
        string[] ids;
        using (var probe = new BenchSampleApp(toolbar: true, extra))
        {
            ids = probe.Services.GetRequiredService<ToolbarPanels>().All.Select(p => p.Id).ToArray();
        }

        var off = Measure(path, requests, toolbar: false, extra, ticks: false).BytesPerRequest;
        double Extra(IEnumerable<string> disabled) =>
            Measure(path, requests, toolbar: true, [.. extra, .. disabled.Select((id, i) => $"Toolbar:DisabledPanels:{i}={id}")], ticks: false).BytesPerRequest - off;

        var all = Extra([]);
        var core = Extra(ids);
        Console.WriteLine($"{path}: off {off:N0} B; extra with every panel {all:N0} B, core alone {core:N0} B");
        Console.WriteLine("| panel | saved when switched off | cost alone (over the core) |");
        Console.WriteLine("|---|---|---|");
        foreach (var id in ids)
        {
            var without = Extra([id]);
            var alone = Extra(ids.Where(other => other != id));
            Console.WriteLine($"| {id} | {all - without:N0} B | {alone - core:N0} B |");
        }
    }

    public static void Run(string[] args)
    {
        var path = args.Length > 1 ? args[1] : "/api/products";
        var requests = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5000;
        // The type sampling allocates a little per sampled tick (more on the side that allocates more): TICKS=0 leaves it out.
        var ticks = Environment.GetEnvironmentVariable("TICKS") != "0";
        var off = Measure(path, requests, toolbar: false, extra: args.Skip(3).ToArray(), ticks);
        var on = Measure(path, requests, toolbar: true, extra: args.Skip(3).ToArray(), ticks);
        Console.WriteLine($"{path}: off {off.BytesPerRequest:N0} B, on {on.BytesPerRequest:N0} B, extra {on.BytesPerRequest - off.BytesPerRequest:N0} B per request");
        Console.WriteLine($"{path}: process CPU off {off.CpuMicros:N1} µs, on {on.CpuMicros:N1} µs per request (all threads, readers included; noisy on a shared machine)");
        Console.WriteLine("allocation ticks per 1,000 requests by type (on - off, sampled every ~100 KB):");
        foreach (var (type, diff) in on.Ticks.Keys.Union(off.Ticks.Keys)
            .Select(t => (t, (on.Ticks.GetValueOrDefault(t) - off.Ticks.GetValueOrDefault(t)) * 1000.0 / requests))
            .OrderByDescending(x => Math.Abs(x.Item2)).Take(40))
        {
            Console.WriteLine($"  {diff,8:F2}  {type}");
        }
    }

    private static (double BytesPerRequest, double CpuMicros, Dictionary<string, long> Ticks) Measure(string path, int requests, bool toolbar, string[] extra, bool ticks = true)
    {
        using var app = new BenchSampleApp(toolbar, extra);
        // The server's handler without HttpClient's layers (redirects, cookies): each layer allocates an async state
        // machine whenever its await finds the response not ready yet, which depends on how fast the server is, not on
        // what it allocates; this leaves one such layer (the test server's own handler).
        using var client = new HttpMessageInvoker(app.Server.CreateHandler());
        var uri = new Uri(app.Server.BaseAddress, path);
        // One loop of awaits on the thread pool, waited for once: a client thread blocking on each response would be a
        // wait per request that the threads panel's wait session reads (with its stack), which a real client in
        // another process never causes.
        static async Task SendAll(HttpMessageInvoker client, Uri uri, int count)
        {
            for (var i = 0; i < count; i++)
            {
                using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), default);
                await response.Content.ReadAsByteArrayAsync();
            }
        }

        Task.Run(() => SendAll(client, uri, 2000)).GetAwaiter().GetResult();
        GC.Collect();
        using var listener = ticks ? new TickListener() : null;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        Task.Run(() => SendAll(client, uri, requests)).GetAwaiter().GetResult();

        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return ((double)bytes / requests, cpu.TotalMicroseconds / requests, listener?.Snapshot() ?? []);
    }

    private sealed class TickListener : EventListener
    {
        private readonly ConcurrentDictionary<string, long> _ticks = new();
        private volatile bool _on = true;

        public Dictionary<string, long> Snapshot()
        {
            _on = false;
            return new(_ticks);
        }

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (_on && e.EventName is "GCAllocationTick_V4" or "GCAllocationTick_V3" or "GCAllocationTick_V2"
                && e.PayloadNames?.IndexOf("TypeName") is >= 0 and var i && e.Payload?[i] is string type)
            {
                _ticks.AddOrUpdate(type, 1, (_, n) => n + 1);
            }
        }
    }
}
