using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Toolbar.Internal;
using Toolbar.Redis;
using Toolbar.Stores;

namespace Toolbar.Benchmarks;

/// <summary>
/// Write throughput of the Redis store alone, in-process, into a real local <c>redis-server</c> (started and stopped
/// here): <c>dotnet run -c Release --project bench/Toolbar.Benchmarks -- redis [path] [seconds] [rate]</c>.
/// Records are real ones of the sample app (every panel on, <c>path</c> requested in-process), copied with new ids so
/// that each write is a new record with the same content. Two runs: as fast as the store takes them (the producer
/// waits while more than 512 are queued, so none is dropped), then paced at <c>rate</c> records/s for
/// <c>seconds</c>, sampling the queue every 10 ms.
/// </summary>
internal static class RedisStoreProbe
{
    private static double s_idleCpuPerSecond;

    public static void Run(string[] args)
    {
        var path = args.Length > 1 ? args[1] : "/api/products";
        var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        var rate = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5000;
        var port = FreePort();
        using var redis = Process.Start(new ProcessStartInfo("redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        try
        {
            RunAgainst(port, path, seconds, rate).GetAwaiter().GetResult();
        }
        finally
        {
            redis.Kill();
            redis.WaitForExit();
        }
    }

    private static async Task RunAgainst(int port, string path, int seconds, int rate)
    {
        var app = new BenchSampleApp(toolbar: true, ["Toolbar:MaxRequests=200"]);
        var client = app.CreateClient();
        for (var i = 0; i < 300; i++)
        {
            (await client.GetAsync(path)).Dispose();
        }

        var memory = app.Services.GetRequiredService<IToolbarStore>();
        var templates = new List<RequestRecord>();
        foreach (var summary in (await memory.ListAsync()).Take(100))
        {
            templates.Add((await memory.GetAsync(summary.Id))!);
        }

        var runtime = app.Services.GetRequiredService<ToolbarRuntime>();
        var serializer = app.Services.GetRequiredService<RequestRecordSerializer>();
        foreach (var template in templates)
        {
            // Builds every panel's deferred data now, while the app runs.
            _ = template.Panels.Count;
        }

        // The app's background work (the threads panel's event sessions, timers) would be counted as the store's:
        // stopped, the records and panels stay usable for serializing.
        client.Dispose();
        app.Dispose();
        var inline = RecordSerializer.Serialize(templates[0], runtime).Length;
        var snapshots = new Dictionary<string, SharedSnapshot>(StringComparer.Ordinal);
        var shared = RecordSerializer.Serialize(templates[0], runtime, snapshots).Length;
        Console.WriteLine($"{path} record: {inline:N0} B inline, {shared:N0} B stored with {snapshots.Count} shared snapshots ({snapshots.Values.Sum(s => s.Size):N0} B, written once)");

        if (Environment.GetEnvironmentVariable("PROBE_DUMP") is { Length: > 0 } dump)
        {
            await File.WriteAllBytesAsync(dump, RecordSerializer.Serialize(templates[0], runtime, []));
        }

        var serializeCpu = ThreadCpuTicks();
        var serializeClock = Stopwatch.StartNew();
        for (var i = 0; i < 20000; i++)
        {
            RecordSerializer.Serialize(templates[i % templates.Count], runtime, []);
            RecordSerializer.Badges(templates[i % templates.Count], runtime);
        }

        Console.WriteLine($"serializing a record and its badges (what the writer does per record before Redis): {serializeClock.Elapsed.TotalMilliseconds * 1000 / 20000:N1} µs wall, " +
            $"{(ThreadCpuTicks() - serializeCpu) * 10_000.0 / 20000:N1} µs CPU of the serializing thread");

        var configuration = ConfigurationOptions.Parse($"127.0.0.1:{port}");
        configuration.AbortOnConnectFail = false;
        configuration.AsyncTimeout = 1000;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        await using var store = new RedisToolbarStore(await ConnectionMultiplexer.ConnectAsync(configuration), serializer, NullLogger<DistributedToolbarStore>.Instance);
        // Warm-up: the JIT, the connection, the script cache.
        await FastestAsync(store, templates, 5000);
        // Whatever still runs in the process with no record at all (timers, the Redis client's heartbeat): measured
        // idle, then taken off the figures below, so they are the store's own cost.
        var idleCpu = Process.GetCurrentProcess().TotalProcessorTime;
        await Task.Delay(3000);
        s_idleCpuPerSecond = (Process.GetCurrentProcess().TotalProcessorTime - idleCpu).TotalMilliseconds * 1000 / 3;
        Console.WriteLine($"idle process CPU: {s_idleCpuPerSecond / 1000:N1} ms/s");

        var (perSecond, cpuPerRecord, dropped) = await FastestAsync(store, templates, Math.Max(20_000, rate * 4));
        Console.WriteLine($"as fast as it takes them: {perSecond:N0} records/s, {cpuPerRecord:N1} µs CPU per record (process, idle CPU taken off), {dropped} dropped");

        var droppedBefore = store.DroppedRecords;
        var ticks = seconds * 100;
        var perTick = rate / 100;
        var queue = new List<int>(ticks);
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var next = 0;
        for (var tick = 0; tick < ticks; tick++)
        {
            for (var i = 0; i < perTick; i++)
            {
                await store.AddAsync(Copy(templates[next++ % templates.Count]));
            }

            queue.Add(store.QueuedRecords);
            var due = TimeSpan.FromMilliseconds((tick + 1) * 10);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }
        }

        var offered = clock.Elapsed;
        await store.FlushAsync();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu - TimeSpan.FromMilliseconds(s_idleCpuPerSecond / 1000 * clock.Elapsed.TotalSeconds);
        var lastSecond = queue.Skip(queue.Count - 100).ToArray();
        Console.WriteLine($"paced at {rate:N0}/s for {seconds} s ({next:N0} records offered in {offered.TotalSeconds:F2} s): " +
            $"dropped {store.DroppedRecords - droppedBefore}, queue max {queue.Max()}, queue mean first second {queue.Take(100).Average():F1}, " +
            $"last second {lastSecond.Average():F1}, {cpuUsed.TotalMilliseconds * 1000 / next:N1} µs CPU per record; machine load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }

    private static async Task<(double PerSecond, double CpuMicroseconds, long Dropped)> FastestAsync(RedisToolbarStore store, List<RequestRecord> templates, int count)
    {
        var dropped = store.DroppedRecords;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            while (store.QueuedRecords > 512)
            {
                await Task.Delay(1);
            }

            await store.AddAsync(Copy(templates[i % templates.Count]));
        }

        await store.FlushAsync();
        var elapsed = clock.Elapsed;
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu - TimeSpan.FromMilliseconds(s_idleCpuPerSecond / 1000 * elapsed.TotalSeconds);
        return (count / elapsed.TotalSeconds, used.TotalMilliseconds * 1000 / count, store.DroppedRecords - dropped);
    }

    /// <summary>The same record under a new id: the same data objects and the same shared snapshots.</summary>
    private static RequestRecord Copy(RequestRecord template)
    {
        var copy = new RequestRecord(RequestRecord.NewId(), template.Method, template.Path, template.QueryString, DateTimeOffset.UtcNow, Stopwatch.GetTimestamp())
        {
            StatusCode = template.StatusCode,
            DurationMs = template.DurationMs,
            ContentType = template.ContentType,
            IsAjax = template.IsAjax,
            IsFinished = true,
        };
        foreach (var (id, data) in template.Panels)
        {
            if (template.GetSharedPanelData(id, data) is { } snapshot)
            {
                copy.SetSharedPanelData(id, snapshot);
            }
            else
            {
                copy.Panels[id] = data;
            }
        }

        foreach (var snapshot in template.SharedSnapshots)
        {
            copy.AddSharedSnapshot(snapshot);
        }

        return copy;
    }

    /// <summary>CPU time of the calling thread in clock ticks (10 ms each), from /proc.</summary>
    private static long ThreadCpuTicks()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
