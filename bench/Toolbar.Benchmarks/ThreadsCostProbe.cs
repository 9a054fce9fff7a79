using System.Diagnostics;
using Toolbar.Panels.Threads;

namespace Toolbar.Benchmarks;

/// <summary>
/// What the threads panel costs a tracked request, and what its task-wait timing adds:
/// <c>dotnet run -c Release --project bench/Toolbar.Benchmarks -- threads [path] [requests] [rounds]</c>.
/// The sample app in-process with the toolbar shown, in three configurations one after the other (each app stopped
/// before the next starts, so the process-wide wait sessions are those of that configuration only), rounds interleaved:
/// threads panel off, on, and on with <c>Toolbar:Threads:TaskWaits=true</c>. Per request: bytes allocated by the whole
/// process (the sessions' readers included), process CPU time and wall time of sequential requests; medians of the rounds.
/// </summary>
internal static class ThreadsCostProbe
{
    private static readonly (string Name, string[] Settings)[] s_configs =
    [
        ("threads panel off", ["Toolbar:DisabledPanels:0=threads"]),
        ("threads panel on", ["Toolbar:Threads:TaskWaits=false"]),
        ("threads panel on, TaskWaits", ["Toolbar:Threads:TaskWaits=true"]),
    ];

    public static void Run(string[] args)
    {
        var path = args.Length > 1 ? args[1] : "/api/products";
        var requests = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3000;
        var rounds = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var results = s_configs.Select(_ => new List<(double Bytes, double Cpu, double Wall)>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var c = 0; c < s_configs.Length; c++)
            {
                var r = Measure(path, requests, s_configs[c].Settings, listening: c > 0);
                results[c].Add(r);
                Console.WriteLine($"round {round + 1}, {s_configs[c].Name}: {r.Bytes:N0} B, {r.Cpu:N1} µs CPU, {r.Wall:N1} µs wall per request");
            }
        }

        Console.WriteLine($"{path}, medians of {rounds} rounds of {requests} requests:");
        for (var c = 0; c < s_configs.Length; c++)
        {
            static double Median(IEnumerable<double> values)
            {
                var sorted = values.Order().ToArray();
                return sorted[sorted.Length / 2];
            }

            Console.WriteLine($"  {s_configs[c].Name,-30} {Median(results[c].Select(r => r.Bytes)),10:N0} B {Median(results[c].Select(r => r.Cpu)),8:N1} µs CPU {Median(results[c].Select(r => r.Wall)),8:N1} µs wall");
        }
    }

    private static (double Bytes, double Cpu, double Wall) Measure(string path, int requests, string[] settings, bool listening)
    {
        using var app = new BenchSampleApp(toolbar: true, settings);
        using var client = app.CreateClient();
        for (var i = 0; i < 1500; i++)
        {
            client.GetAsync(path).GetAwaiter().GetResult().Dispose();
        }

        // The shared sessions start in the background with the first tracked request: measure while they listen.
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        var taskWaits = settings.Contains("Toolbar:Threads:TaskWaits=true");
        while (listening && (WaitListener.Session is null || WaitListener.Pool is null || (taskWaits && WaitListener.TaskWaits is null)) && Stopwatch.GetTimestamp() < deadline)
        {
            client.GetAsync(path).GetAwaiter().GetResult().Dispose();
        }

        if (listening && (WaitListener.Session is null || (WaitListener.TaskWaits is null) == taskWaits))
        {
            throw new InvalidOperationException("the wait sessions are not those of the configuration");
        }

        GC.Collect();
        var process = Process.GetCurrentProcess();
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.GetTimestamp();
        for (var i = 0; i < requests; i++)
        {
            using var response = client.GetAsync(path).GetAwaiter().GetResult();
            response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        }

        var elapsed = Stopwatch.GetElapsedTime(wall);
        process.Refresh();
        return ((double)(GC.GetTotalAllocatedBytes(precise: true) - bytes) / requests,
            (process.TotalProcessorTime - cpu).TotalMicroseconds / requests,
            elapsed.TotalMicroseconds / requests);
    }
}
