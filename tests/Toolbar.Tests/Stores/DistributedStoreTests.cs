using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Toolbar.Panels.Request;
using Toolbar.Stores;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Stores;

[Collection(RedisCollection.Name)]
public class DistributedStoreTests
{
    private static RequestRecord Record(string path, int status = 200)
    {
        var record = new RequestRecord("GET", path, "") { StatusCode = status, DurationMs = 1 };
        record.Panels["request"] = new RequestData { Method = "GET", Path = path, StatusCode = status };
        return record;
    }

    private static DistributedToolbarStore Store(FlakyCache cache, IServiceProvider services, ILogger<DistributedToolbarStore>? logger = null) =>
        new(cache, services.Runtime(), logger ?? NullLogger<DistributedToolbarStore>.Instance);

    [Fact]
    public async Task Record_written_by_one_store_is_read_by_another_on_the_same_cache()
    {
        using var services = StoreTestPanels.Services();
        var cache = new FlakyCache();
        await using var a = Store(cache, services);
        await using var b = Store(cache, services);
        var record = Record("/shared");

        await a.AddAsync(record);
        await a.FlushAsync();

        var copy = await b.GetAsync(record.Id);
        Assert.Equal("/shared", Assert.IsType<RequestData>(copy!.Panels["request"]).Path);
        Assert.Equal([record.Id], (await b.ListAsync()).Select(s => s.Id));
    }

    [Fact]
    public async Task Grpc_outcome_survives_the_distributed_store_in_record_and_list()
    {
        using var services = StoreTestPanels.Services();
        var cache = new FlakyCache();
        await using var a = Store(cache, services);
        await using var b = Store(cache, services);
        var record = Record("/greet.Greeter/SayHello");
        record.GrpcStatus = 5;
        record.GrpcMessage = "No person named \"Zoë\"";

        await a.AddAsync(record);
        await a.FlushAsync();

        var copy = await b.GetAsync(record.Id);
        Assert.Equal(5, copy!.GrpcStatus);
        Assert.Equal("No person named \"Zoë\"", copy.GrpcMessage);
        var listed = Assert.Single(await b.ListAsync());
        Assert.Equal(5, listed.GrpcStatus);
        Assert.Equal(record.GrpcMessage, listed.GrpcMessage);
    }

    [Fact]
    public async Task Update_is_written_back_so_another_store_reads_it()
    {
        using var services = StoreTestPanels.Services();
        var cache = new FlakyCache();
        await using var a = Store(cache, services);
        await using var b = Store(cache, services);
        var record = Record("/before");
        await a.AddAsync(record);
        await a.FlushAsync();

        var updated = await b.UpdateAsync(record.Id, r =>
        {
            r.GetPanelData<RequestData>("request")!.Path = "/after";
            return true;
        });

        Assert.True(updated);
        var copy = await a.GetAsync(record.Id);
        Assert.Equal("/after", copy!.GetPanelData<RequestData>("request")!.Path);
    }

    [Fact]
    public async Task Update_of_a_record_still_queued_is_not_lost()
    {
        using var services = StoreTestPanels.Services();
        var cache = new FlakyCache();
        await using var store = Store(cache, services);
        var record = Record("/queued");
        await store.AddAsync(record);

        var updated = await store.UpdateAsync(record.Id, r =>
        {
            r.GetPanelData<RequestData>("request")!.Path = "/changed";
            return true;
        });

        await store.FlushAsync();
        await using var other = Store(cache, services);
        Assert.True(updated);
        Assert.Equal("/changed", (await other.GetAsync(record.Id))!.GetPanelData<RequestData>("request")!.Path);
    }

    [Fact]
    public async Task Update_of_an_unknown_or_unchanged_record_reports_false_and_writes_nothing()
    {
        using var services = StoreTestPanels.Services();
        var cache = new FlakyCache();
        await using var store = Store(cache, services);
        var record = Record("/kept");
        await store.AddAsync(record);
        await store.FlushAsync();

        var unknown = await store.UpdateAsync(new string('a', 32), _ => true);
        var declined = await store.UpdateAsync(record.Id, r =>
        {
            r.GetPanelData<RequestData>("request")!.Path = "/discarded";
            return false;
        });

        Assert.False(unknown);
        Assert.False(declined);
        Assert.Equal("/kept", (await store.GetAsync(record.Id))!.GetPanelData<RequestData>("request")!.Path);
    }

    [Fact]
    public async Task Shared_list_keeps_only_MaxRequests_and_removes_evicted_records()
    {
        using var services = StoreTestPanels.Services(o => o.MaxRequests = 3);
        var cache = new FlakyCache();
        await using var store = Store(cache, services);
        var records = Enumerable.Range(0, 5).Select(i => Record("/" + i)).ToArray();
        foreach (var record in records)
        {
            await store.AddAsync(record);
            await store.FlushAsync();
        }

        Assert.Equal(["/4", "/3", "/2"], (await store.ListAsync()).Select(s => s.Path));
        Assert.Null(await store.GetAsync(records[0].Id));
        Assert.Null(await store.GetAsync(records[1].Id));
    }

    [Fact]
    public async Task List_carries_each_panels_subtitle_as_a_badge()
    {
        using var services = StoreTestPanels.Services();
        var cache = new FlakyCache();
        await using var store = Store(cache, services);
        await store.AddAsync(Record("/badges", 404));
        await store.FlushAsync();

        var summary = Assert.Single(await store.ListAsync());
        Assert.Equal("GET 404", summary.Badges!["request"]);
    }

    [Fact]
    public async Task Unreachable_cache_reports_store_unavailable_and_logs_once()
    {
        using var services = StoreTestPanels.Services();
        var cache = new FlakyCache { Down = true };
        var logger = new CountingLogger();
        await using var store = Store(cache, services, logger);

        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<ToolbarStoreUnavailableException>(() => store.GetAsync(RequestRecord.NewId()).AsTask());
        }

        Assert.Equal(1, logger.Errors);
        Assert.Equal(1, cache.Calls); // later calls within the back-off do not touch the dead cache
    }

    [Fact]
    public async Task Clear_empties_the_shared_list()
    {
        using var services = StoreTestPanels.Services();
        var cache = new FlakyCache();
        await using var store = Store(cache, services);
        var record = Record("/x");
        await store.AddAsync(record);
        await store.FlushAsync();

        await store.ClearAsync();

        Assert.Empty(await store.ListAsync());
        Assert.Null(await store.GetAsync(record.Id));
    }

    private sealed class CountingLogger : ILogger<DistributedToolbarStore>
    {
        public int Errors { get; private set; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                Errors++;
            }
        }
    }
}
