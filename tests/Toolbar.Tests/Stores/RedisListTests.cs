using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Toolbar.Panels.Request;
using Toolbar.Redis;
using Toolbar.Stores;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Stores;

/// <summary>The Redis store's shared recent list, changed atomically by several instances at once.</summary>
[Collection(RedisCollection.Name)]
public class RedisListTests
{
    private static RequestRecord Record(string path)
    {
        var record = new RequestRecord("GET", path, "") { StatusCode = 200, DurationMs = 1 };
        record.Panels["request"] = new RequestData { Method = "GET", Path = path, StatusCode = 200 };
        return record;
    }

    private static RedisToolbarStore Store(RedisServer redis, IServiceProvider services) =>
        new(RedisToolbarStoreProvider.Connect(redis.Configuration), services.GetRequiredService<RequestRecordSerializer>(), NullLogger<DistributedToolbarStore>.Instance);

    private static async Task WriteAllAsync(RedisToolbarStore store, IEnumerable<RequestRecord> records)
    {
        foreach (var record in records)
        {
            await store.AddAsync(record);
        }

        await store.FlushAsync();
    }

    [Fact]
    public async Task Two_instances_writing_at_once_lose_no_list_entry()
    {
        using var redis = await RedisServer.StartAsync();
        using var services = StoreTestPanels.Services(o => o.MaxRequests = 1000);
        await using var a = Store(redis, services);
        await using var b = Store(redis, services);
        var fromA = Enumerable.Range(0, 150).Select(i => Record("/a/" + i)).ToArray();
        var fromB = Enumerable.Range(0, 150).Select(i => Record("/b/" + i)).ToArray();

        await Task.WhenAll(Task.Run(() => WriteAllAsync(a, fromA)), Task.Run(() => WriteAllAsync(b, fromB)));

        await using var reader = Store(redis, services);
        var listed = (await reader.ListAsync()).Select(s => s.Id).ToHashSet();
        Assert.Equal(300, listed.Count);
        Assert.Subset(listed, fromA.Concat(fromB).Select(r => r.Id).ToHashSet());
    }

    [Fact]
    public async Task Two_instances_writing_at_once_keep_exactly_MaxRequests_and_remove_the_rest()
    {
        using var redis = await RedisServer.StartAsync();
        using var services = StoreTestPanels.Services(o => o.MaxRequests = 7);
        await using var a = Store(redis, services);
        await using var b = Store(redis, services);
        var fromA = Enumerable.Range(0, 40).Select(i => Record("/a/" + i)).ToArray();
        var fromB = Enumerable.Range(0, 40).Select(i => Record("/b/" + i)).ToArray();

        await Task.WhenAll(Task.Run(() => WriteAllAsync(a, fromA)), Task.Run(() => WriteAllAsync(b, fromB)));

        await using var reader = Store(redis, services);
        var listed = await reader.ListAsync();
        Assert.Equal(7, listed.Count);
        // The newest seven by start time (the list orders by millisecond), newest first.
        var kept = listed.Select(s => s.Id).ToHashSet();
        var evicted = fromA.Concat(fromB).Where(r => !kept.Contains(r.Id)).ToArray();
        Assert.True(listed.Min(s => s.StartedAt.ToUnixTimeMilliseconds()) >= evicted.Max(r => r.StartedAt.ToUnixTimeMilliseconds()));
        Assert.Equal(listed.OrderByDescending(s => s.StartedAt).Select(s => s.Id), listed.Select(s => s.Id));
        foreach (var record in evicted)
        {
            Assert.Null(await reader.GetAsync(record.Id));
        }

        foreach (var id in kept)
        {
            Assert.NotNull(await reader.GetAsync(id));
        }
    }

    [Fact]
    public async Task Clear_empties_the_shared_list_for_every_instance()
    {
        using var redis = await RedisServer.StartAsync();
        using var services = StoreTestPanels.Services();
        await using var a = Store(redis, services);
        await using var b = Store(redis, services);
        var record = Record("/gone");
        await WriteAllAsync(a, [record]);
        Assert.Single(await b.ListAsync());

        await b.ClearAsync();

        Assert.Empty(await a.ListAsync());
        Assert.Null(await a.GetAsync(record.Id));
    }
}
