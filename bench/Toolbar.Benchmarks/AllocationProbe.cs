using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

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
    public static void Run(string[] args)
    {
        var path = args.Length > 1 ? args[1] : "/api/products";
        var requests = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5000;
        var off = Measure(path, requests, toolbar: false, extra: args.Skip(3).ToArray());
        var on = Measure(path, requests, toolbar: true, extra: args.Skip(3).ToArray());
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

    private static (double BytesPerRequest, double CpuMicros, Dictionary<string, long> Ticks) Measure(string path, int requests, bool toolbar, string[] extra)
    {
        using var app = new BenchSampleApp(toolbar, extra);
        using var client = app.CreateClient();
        for (var i = 0; i < 2000; i++)
        {
            client.GetAsync(path).GetAwaiter().GetResult().Dispose();
        }


        GC.Collect();
        using var listener = new TickListener();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < requests; i++)
        {
            using var response = client.GetAsync(path).GetAwaiter().GetResult();
            response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        }

        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return ((double)bytes / requests, cpu.TotalMicroseconds / requests, listener.Snapshot());
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
