using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Toolbar.Panels.Config;
using Toolbar.Panels.Request;
using Toolbar.Panels.Routes;
using Toolbar.Redis;
using Toolbar.Stores;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Stores;

/// <summary>Panel data shared by many records (the configuration, the route map) is stored once and read back inline.</summary>
[Collection(RedisCollection.Name)]
public class SharedSnapshotTests
{
    private static Task<MiniApp> StartAsync(RedisServer? redis) => MiniApp.StartAsync(
        async ctx =>
        {
            ctx.Response.ContentType = "text/html; charset=utf-8";
            await ctx.Response.WriteAsync("<html><body>page</body></html>");
        },
        configure: o =>
        {
            if (redis is not null)
            {
                o.Store = "redis";
                o.Redis = redis.Configuration;
            }
        });

    private static async Task<string> RequestAsync(MiniApp app, string path)
    {
        using var response = await app.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Toolbar-Id").Single();
    }

    private static RedisToolbarStore RedisStore(RedisServer redis, IServiceProvider services) =>
        new(RedisToolbarStoreProvider.Connect(redis.Configuration), services.GetRequiredService<RequestRecordSerializer>(), NullLogger<DistributedToolbarStore>.Instance);

    private static RedisKey[] Keys(ConnectionMultiplexer connection, string pattern) =>
        [.. connection.GetServers().Single().Keys(pattern: pattern)];

    [Fact]
    public async Task Snapshot_is_stored_once_in_redis_for_many_records()
    {
        using var redis = await RedisServer.StartAsync();
        await using var app = await StartAsync(redis);
        var store = (DistributedToolbarStore)app.Services.GetRequiredService<IToolbarStore>();
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(await RequestAsync(app, "/page/" + i));
        }

        await store.FlushAsync();

        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var database = connection.GetDatabase();
        var snapshotKeys = Keys(connection, "toolbar:snap:*");
        var referenced = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var json = JsonDocument.Parse((byte[])(await database.StringGetAsync("toolbar:rec:" + id))!);
            foreach (var hash in json.RootElement.GetProperty("snapshots").EnumerateArray())
            {
                referenced[hash.GetString()!] = referenced.GetValueOrDefault(hash.GetString()!) + 1;
            }

            // Each record refers to the configuration as a whole and to the route map inside the routes data.
            Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("panels").GetProperty("config").GetProperty("$snapshot").ValueKind);
            Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("panels").GetProperty("routes").GetProperty("endpoints").GetProperty("$snapshot").ValueKind);
        }

        Assert.Equal(30, Keys(connection, "toolbar:rec:*").Length);
        // One key per distinct snapshot, however many records refer to it: the config and the route map.
        Assert.Equal(referenced.Keys.Order(), snapshotKeys.Select(k => ((string)k!)["toolbar:snap:".Length..]).Order());
        Assert.InRange(snapshotKeys.Length, 2, 4);
        Assert.Equal(60, referenced.Values.Sum());
    }

    [Fact]
    public async Task Record_json_is_identical_whether_shared_data_is_stored_by_reference_or_inline()
    {
        using var redis = await RedisServer.StartAsync();
        await using var app = await StartAsync(null);
        var id = await RequestAsync(app, "/orders?page=2");
        var original = (await app.Services.GetRequiredService<IToolbarStore>().GetAsync(id))!;
        var serializer = app.Services.GetRequiredService<RequestRecordSerializer>();
        var inline = serializer.Serialize(original);

        await using (var writer = RedisStore(redis, app.Services))
        {
            await writer.AddAsync(original);
            await writer.FlushAsync();
        }

        await using var reader = RedisStore(redis, app.Services);
        var readBack = (await reader.GetAsync(id))!;

        Assert.Equal(Encoding.UTF8.GetString(inline), Encoding.UTF8.GetString(serializer.Serialize(readBack)));
        Assert.NotNull(readBack.GetPanelData<ConfigData>("config"));
        Assert.NotEmpty(readBack.GetPanelData<RoutesData>("routes")!.Endpoints);
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var stored = (byte[])(await connection.GetDatabase().StringGetAsync("toolbar:rec:" + id))!;
        // The shared parts are not in the record itself.
        Assert.True(stored.Length < inline.Length / 2, $"stored {stored.Length} bytes, inline {inline.Length}");
    }

    [Fact]
    public async Task Record_whose_snapshot_expired_still_reads_with_a_marker()
    {
        using var redis = await RedisServer.StartAsync();
        await using var a = await StartAsync(redis);
        await using var b = await StartAsync(redis);
        var id = await RequestAsync(a, "/expiring");
        await ((DistributedToolbarStore)a.Services.GetRequiredService<IToolbarStore>()).FlushAsync();
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var snapshotKeys = Keys(connection, "toolbar:snap:*");
        Assert.NotEmpty(snapshotKeys);
        await connection.GetDatabase().KeyDeleteAsync(snapshotKeys);

        using var response = await b.Client.GetAsync($"/_toolbar/api/requests/{id}");
        using var panel = await b.Client.GetAsync($"/_toolbar/requests/{id}/panels/config");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("/expiring", json.GetProperty("panels").GetProperty("request").GetProperty("path").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("panels").GetProperty("config").ValueKind);
        Assert.StartsWith("shared data expired", json.GetProperty("panelErrors").GetProperty("config").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("shared data expired", json.GetProperty("panelErrors").GetProperty("routes").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, panel.StatusCode);
        Assert.Contains("shared data expired", await panel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_outlives_its_records_and_is_renewed_while_referenced()
    {
        using var redis = await RedisServer.StartAsync();
        // A 4 s lifetime: snapshots are rewritten when referenced more than 1 s after their last write.
        using var services = StoreTestPanels.Services(o => o.RecordLifetime = TimeSpan.FromSeconds(4));
        var shared = new SharedSnapshot<ConfigData>(new ConfigData { Environment = "Test", ApplicationName = "Renewal" });
        await using var store = RedisStore(redis, services);
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var database = connection.GetDatabase();
        var snapshotKey = "toolbar:snap:" + shared.Hash;

        var first = SharedRecord("/first", shared);
        await store.AddAsync(first);
        await store.FlushAsync();
        var firstSnapshotTtl = await database.KeyTimeToLiveAsync(snapshotKey);
        Assert.True(firstSnapshotTtl > await database.KeyTimeToLiveAsync("toolbar:rec:" + first.Id));

        await Task.Delay(1500);
        var second = SharedRecord("/second", shared);
        await store.AddAsync(second);
        await store.FlushAsync();

        // Without the renewal the snapshot would now expire before the second record (about 3.5 s against 4 s).
        var secondRecordTtl = await database.KeyTimeToLiveAsync("toolbar:rec:" + second.Id);
        Assert.True(await database.KeyTimeToLiveAsync(snapshotKey) > secondRecordTtl);
        Assert.Single(Keys(connection, "toolbar:snap:*"));
        // Read by another instance (a writer whose call timed out on a starved machine backs off for a moment).
        await using var reader = RedisStore(redis, services);
        var readBack = (await reader.GetAsync(second.Id))!;
        Assert.Empty(readBack.PanelErrors);
        // This runtime has no config panel: the data of a panel it does not know reads back as JSON, resolved all the same.
        var config = Assert.IsType<JsonElement>(readBack.Panels["config"]);
        Assert.Equal("Renewal", config.GetProperty("applicationName").GetString());
    }

    [Fact]
    public async Task Identical_snapshots_of_two_instances_are_one_key()
    {
        using var redis = await RedisServer.StartAsync();
        using var services = StoreTestPanels.Services();
        await using var a = RedisStore(redis, services);
        await using var b = RedisStore(redis, services);
        // Two instances build their own snapshot objects of the same configuration.
        var fromA = SharedRecord("/a", new SharedSnapshot<ConfigData>(new ConfigData { Environment = "Same" }));
        var fromB = SharedRecord("/b", new SharedSnapshot<ConfigData>(new ConfigData { Environment = "Same" }));
        var other = SharedRecord("/c", new SharedSnapshot<ConfigData>(new ConfigData { Environment = "Other" }));

        await a.AddAsync(fromA);
        await a.AddAsync(other);
        await b.AddAsync(fromB);
        await a.FlushAsync();
        await b.FlushAsync();

        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        Assert.Equal(2, Keys(connection, "toolbar:snap:*").Length);
    }

    [Fact]
    public void In_memory_store_counts_a_shared_snapshot_once_toward_MaxStoreBytes()
    {
        var store = new InMemoryToolbarStore(Microsoft.Extensions.Options.Options.Create(new ToolbarOptions { MaxRequests = 3 }));
        var shared = new SharedSnapshot<List<string>>([.. Enumerable.Range(0, 2000).Select(i => "route " + i)]);
        // An independent measure of the snapshot: its JSON with the toolbar's options.
        var snapshotBytes = JsonSerializer.SerializeToUtf8Bytes(shared.Value, ToolbarPanel.JsonOptions).Length;
        var records = Enumerable.Range(0, 5).Select(i => SharedRecord("/" + i, shared)).ToArray();

        store.AddAsync(records[0]);
        Assert.Equal(records[0].EstimatedBytes + snapshotBytes, store.EstimatedBytes);
        store.AddAsync(records[1]);
        store.AddAsync(records[2]);
        Assert.Equal(records.Take(3).Sum(r => r.EstimatedBytes) + snapshotBytes, store.EstimatedBytes);
        store.AddAsync(records[3]);
        store.AddAsync(records[4]);
        Assert.Equal(records.Skip(2).Sum(r => r.EstimatedBytes) + snapshotBytes, store.EstimatedBytes);

        // A record without the snapshot evicts the last ones that had it: the snapshot no longer counts.
        var plain = Enumerable.Range(0, 3).Select(i => SharedRecord("/plain" + i, null)).ToArray();
        foreach (var record in plain)
        {
            store.AddAsync(record);
        }

        Assert.Equal(plain.Sum(r => r.EstimatedBytes), store.EstimatedBytes);
    }

    [Fact]
    public void Shared_data_serializes_exactly_like_the_same_data_inline()
    {
        using var services = StoreTestPanels.Services();
        var runtime = services.Runtime();
        var data = new ConfigData { Environment = "Dev <\"x\">", Values = { ["Key"] = "välue" } };
        var snapshot = new SharedSnapshot<ConfigData>(data);
        var shared = new RequestRecord("GET", "/x", "");
        shared.SetSharedPanelData("config", snapshot);
        var inline = new RequestRecord(shared.Id, "GET", "/x", "", shared.StartedAt, shared.StartTimestamp);
        inline.Panels["config"] = data;

        Assert.Equal(Encoding.UTF8.GetString(RecordSerializer.Serialize(inline, runtime)), Encoding.UTF8.GetString(RecordSerializer.Serialize(shared, runtime)));
        // The value's JSON is computed once per snapshot: every use hands out the same bytes.
        Assert.True(snapshot.Json.Equals(snapshot.Json));
    }

    private static RequestRecord SharedRecord(string path, SharedSnapshot? snapshot)
    {
        var record = new RequestRecord("GET", path, "") { StatusCode = 200, DurationMs = 1 };
        record.Panels["request"] = new RequestData { Method = "GET", Path = path, StatusCode = 200 };
        switch (snapshot)
        {
            case SharedSnapshot<ConfigData> config:
                record.SetSharedPanelData("config", config);
                break;
            case not null:
                record.AddSharedSnapshot(snapshot);
                break;
        }

        return record;
    }
}
