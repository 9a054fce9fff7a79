using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Toolbar.Panels.Request;
using Toolbar.Redis;
using Toolbar.Stores;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Stores;

/// <summary>
/// The distributed store's writer: batches, a bounded queue whose oldest record gives way, a count of what was not
/// kept, and never a wait on the request's side, whether the store is slow or dead.
/// </summary>
[Collection(RedisCollection.Name)]
public class StoreWriterTests
{
    private static RequestRecord Record(string path)
    {
        var record = new RequestRecord("GET", path, "") { StatusCode = 200, DurationMs = 1 };
        record.Panels["request"] = new RequestData { Method = "GET", Path = path, StatusCode = 200 };
        return record;
    }

    [Fact]
    public async Task Slow_cache_bounds_the_queue_drops_the_oldest_and_counts_and_logs_them()
    {
        using var services = StoreTestPanels.Services(o => o.MaxRequests = 5000);
        var cache = new GatedCache();
        var logs = new LogCollector();
        await using var store = new DistributedToolbarStore(cache, services.Runtime(), new Logger<DistributedToolbarStore>(new LoggerFactory([logs])));
        var first = Record("/first");
        await store.AddAsync(first);
        await cache.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        // The writer now waits on the cache with the first record.
        var records = Enumerable.Range(0, 5000).Select(i => Record("/" + i)).ToArray();

        foreach (var record in records)
        {
            // Never a wait on the request's side.
            Assert.True(store.AddAsync(record).IsCompletedSuccessfully);
        }

        Assert.Equal(DistributedToolbarStore.QueueCapacity, store.QueuedRecords);
        Assert.Equal(5000 - DistributedToolbarStore.QueueCapacity, store.DroppedRecords);
        // The newest are kept (still served from memory), the oldest gave way.
        Assert.NotNull(await store.GetAsync(records[^1].Id));
        Assert.NotNull(await store.GetAsync(records[5000 - DistributedToolbarStore.QueueCapacity].Id));
        Assert.Null(await store.GetAsync(records[5000 - DistributedToolbarStore.QueueCapacity - 1].Id));

        cache.Gate.SetResult();
        await store.FlushAsync();

        var listed = (await store.ListAsync()).Select(s => s.Id).ToHashSet();
        Assert.Equal(1 + DistributedToolbarStore.QueueCapacity, listed.Count);
        Assert.Contains(first.Id, listed);
        Assert.Subset(listed, records.TakeLast(DistributedToolbarStore.QueueCapacity).Select(r => r.Id).Append(first.Id).ToHashSet());
        Assert.Equal(1, logs.Count(LogLevel.Warning, $"{5000 - DistributedToolbarStore.QueueCapacity} records were not kept"));
    }

    [Fact]
    public async Task History_shows_how_many_records_the_store_did_not_keep()
    {
        var cache = new GatedCache();
        await using var app = await MiniApp.StartAsync(
            ctx => ctx.Response.WriteAsync("ok"),
            configure: o =>
            {
                o.Store = "distributed";
                o.MaxRequests = 5000;
            },
            services: s => s.AddSingleton<IDistributedCache>(cache));
        var store = (DistributedToolbarStore)app.Services.GetRequiredService<IToolbarStore>();
        await store.AddAsync(Record("/first"));
        await cache.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        for (var i = 0; i < DistributedToolbarStore.QueueCapacity + 76; i++)
        {
            await store.AddAsync(Record("/" + i));
        }

        cache.Gate.SetResult();
        await store.FlushAsync();

        var history = await app.Client.GetFromJsonAsync<JsonElement>("/_toolbar/panels/history/entries");
        Assert.Equal(76, history.GetProperty("droppedRecords").GetInt64());
    }

    [Fact]
    public async Task Redis_writes_a_batch_of_records_in_a_few_script_calls()
    {
        using var redis = await RedisServer.StartAsync();
        using var services = StoreTestPanels.Services(o => o.MaxRequests = 5000);
        await using var store = new RedisToolbarStore(RedisToolbarStoreProvider.Connect(redis.Configuration), services.GetRequiredService<RequestRecordSerializer>(), NullLogger<DistributedToolbarStore>.Instance);
        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        var server = admin.GetServers().Single();
        var records = Enumerable.Range(0, 1000).Select(i => Record("/" + i)).ToArray();
        await store.AddAsync(Record("/warm-up"));
        await store.FlushAsync();
        var scriptsBefore = await ScriptCallsAsync(server);

        // Writes wait 300 ms on the server: every record is queued before the first batch is answered.
        await server.ExecuteAsync("CLIENT", "PAUSE", "300", "WRITE");
        foreach (var record in records)
        {
            await store.AddAsync(record);
        }

        await store.FlushAsync();

        var scripts = await ScriptCallsAsync(server) - scriptsBefore;
        Assert.Equal(1001, (await store.ListAsync()).Count);
        // One list update per batch of up to 256 records, not one per record.
        Assert.InRange(scripts, 1, 1 + (1000 / DistributedToolbarStore.MaxBatch) + 1);
        Assert.Equal(0, store.DroppedRecords);
    }

    [Fact]
    public async Task Blackholed_redis_never_makes_a_request_wait_and_bounds_memory()
    {
        // A port that accepts connections and never answers: the worst kind of dead server.
        using var blackhole = new TcpListener(IPAddress.Loopback, 0);
        blackhole.Start();
        var accepted = new List<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    accepted.Add(await blackhole.AcceptSocketAsync());
                }
                catch (Exception)
                {
                    return;
                }
            }
        });
        var port = ((IPEndPoint)blackhole.LocalEndpoint).Port;
        using var services = StoreTestPanels.Services();
        await using var store = new RedisToolbarStore(RedisToolbarStoreProvider.Connect($"127.0.0.1:{port}"), services.GetRequiredService<RequestRecordSerializer>(), NullLogger<DistributedToolbarStore>.Instance);

        var records = Enumerable.Range(0, 5000).Select(i => Record("/" + i)).ToArray();
        foreach (var record in records)
        {
            Assert.True(store.AddAsync(record).IsCompletedSuccessfully);
            Assert.InRange(store.QueuedRecords, 0, DistributedToolbarStore.QueueCapacity);
        }

        await store.FlushAsync();

        // Every record was counted as not kept, once; nothing is left in memory.
        Assert.Equal(5000, store.DroppedRecords);
        Assert.Equal(0, store.QueuedRecords);
        blackhole.Stop();
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }
    }

    [Fact]
    public async Task Blackholed_redis_leaves_app_responses_unchanged()
    {
        using var blackhole = new TcpListener(IPAddress.Loopback, 0);
        blackhole.Start();
        var port = ((IPEndPoint)blackhole.LocalEndpoint).Port;
        await using var app = await MiniApp.StartAsync(
            async ctx =>
            {
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync("{\"ok\":true}");
            },
            configure: o =>
            {
                o.Store = "redis";
                o.Redis = $"127.0.0.1:{port}";
            });

        for (var i = 0; i < 50; i++)
        {
            using var response = await app.Client.GetAsync("/api/x");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("{\"ok\":true}", await response.Content.ReadAsStringAsync());
            Assert.Single(response.Headers.GetValues("X-Toolbar-Id"));
        }

        var store = (DistributedToolbarStore)app.Services.GetRequiredService<IToolbarStore>();
        await store.FlushAsync();
        Assert.Equal(50, store.DroppedRecords);
        blackhole.Stop();
    }

    private static async Task<long> ScriptCallsAsync(IServer server)
    {
        var total = 0L;
        foreach (var group in await server.InfoAsync("commandstats"))
        {
            foreach (var (key, value) in group)
            {
                if (key is "cmdstat_eval" or "cmdstat_evalsha")
                {
                    total += long.Parse(value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        return total;
    }
}
