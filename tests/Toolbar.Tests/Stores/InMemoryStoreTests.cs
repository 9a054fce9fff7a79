using Microsoft.Extensions.Options;

namespace Toolbar.Tests.Stores;

public class InMemoryStoreTests
{
    private static InMemoryToolbarStore Store(int maxRequests, long maxBytes) =>
        new(Options.Create(new ToolbarOptions { MaxRequests = maxRequests, MaxStoreBytes = maxBytes }));

    private static RequestRecord Record(string path, long extraBytes = 0)
    {
        var record = new RequestRecord("GET", path, "");
        record.AddEstimatedBytes(extraBytes);
        return record;
    }

    [Fact]
    public async Task Update_changes_the_stored_record()
    {
        var store = Store(maxRequests: 10, maxBytes: long.MaxValue);
        var record = Record("/a");
        await store.AddAsync(record);

        var updated = await store.UpdateAsync(record.Id, r =>
        {
            r.StatusCode = 418;
            return true;
        });

        Assert.True(updated);
        Assert.Equal(418, (await store.GetAsync(record.Id))!.StatusCode);
        Assert.Equal(418, Assert.Single(await store.ListAsync()).StatusCode);
    }

    [Fact]
    public async Task Update_of_an_unknown_record_reports_false()
    {
        var store = Store(maxRequests: 10, maxBytes: long.MaxValue);
        await store.AddAsync(Record("/a"));
        var called = false;

        var updated = await store.UpdateAsync(new string('b', 32), _ => called = true);

        Assert.False(updated);
        Assert.False(called);
    }

    [Fact]
    public async Task Keeps_only_the_newest_MaxRequests_records()
    {
        var store = Store(maxRequests: 3, maxBytes: long.MaxValue);
        for (var i = 0; i < 10; i++)
        {
            await store.AddAsync(Record("/" + i));
        }

        var list = await store.ListAsync();
        Assert.Equal(["/9", "/8", "/7"], list.Select(s => s.Path));
        Assert.Equal(3, store.Count);
    }

    [Fact]
    public async Task Evicts_oldest_records_beyond_the_byte_bound()
    {
        // Each record is estimated at 512 + 1488 = 2000 bytes; 5000 bytes hold two of them.
        var store = Store(maxRequests: 100, maxBytes: 5000);
        var first = Record("/a", 1488);
        await store.AddAsync(first);
        await store.AddAsync(Record("/b", 1488));
        await store.AddAsync(Record("/c", 1488));

        Assert.Equal(["/c", "/b"], (await store.ListAsync()).Select(s => s.Path));
        Assert.Equal(4000, store.EstimatedBytes);
        Assert.Null(await store.GetAsync(first.Id));
    }

    [Fact]
    public async Task Keeps_a_single_record_larger_than_the_byte_bound()
    {
        var store = Store(maxRequests: 100, maxBytes: 1000);
        await store.AddAsync(Record("/small"));
        var big = Record("/big", 10_000);
        await store.AddAsync(big);

        Assert.Equal(["/big"], (await store.ListAsync()).Select(s => s.Path));
        Assert.Same(big, await store.GetAsync(big.Id));
    }

    [Fact]
    public async Task Ten_thousand_requests_stay_within_both_bounds()
    {
        var store = Store(maxRequests: 100, maxBytes: 75_000);
        for (var i = 0; i < 10_000; i++)
        {
            await store.AddAsync(Record("/" + i, 988)); // 1500 bytes each: the byte bound binds at 50 records
        }

        Assert.Equal(50, store.Count);
        Assert.Equal(75_000, store.EstimatedBytes);
        Assert.Equal("/9999", (await store.ListAsync())[0].Path);
    }
}
