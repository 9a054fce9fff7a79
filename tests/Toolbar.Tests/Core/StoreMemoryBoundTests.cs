using System.Collections.Concurrent;
using System.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Toolbar.Tests.Core;

/// <summary>What a request carries counts against the store's bound: big form posts cannot grow the process without limit.</summary>
[Collection(SerialCollection.Name)]
[Trait("Process", "Alone")]
public class StoreMemoryBoundTests(ITestOutputHelper output)
{
    private const int FieldChars = 4 * 1024 * 1024;

    [Fact]
    public async Task Form_posts_of_six_4_MB_fields_are_kept_only_cut_and_within_the_store_bound()
    {
        // Each request's 4 MiB field values, watched without keeping them: whatever keeps a request's form (a record,
        // a per-thread log, a cache) keeps them alive. A weak reference says so exactly, where the process's heap size
        // moves by hundreds of MiB with the shared array pools whether or not the toolbar runs.
        var fields = new ConcurrentQueue<WeakReference>();
        await using var app = await MiniApp.StartAsync(
            async ctx =>
            {
                var form = await ctx.Request.ReadFormAsync();
                if (form["field0"].ToString() is { Length: FieldChars } value)
                {
                    fields.Enqueue(new WeakReference(value));
                }

                await ctx.Response.WriteAsync("fields: " + form.Count);
            },
            services: s => s.Configure<FormOptions>(o =>
            {
                // An app that accepts big fields (the default limit is 4 MiB a value).
                o.ValueLengthLimit = int.MaxValue;
                o.MultipartBodyLengthLimit = long.MaxValue;
            }));
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ToolbarOptions>>().Value;
        Assert.Equal(64L * 1024 * 1024, options.MaxStoreBytes);

        for (var i = 0; i < 110; i++)
        {
            await PostAsync(app, FieldChars);
        }

        // The server keeps the last request's buffers until the next one: a small request before each measurement
        // leaves only what the records hold.
        await PostAsync(app, 1024);
        var heapAfter = Measure();
        var store = app.Services.GetRequiredService<IToolbarStore>();
        var kept = await store.ListAsync();
        Assert.Equal(100, kept.Count);
        Assert.Equal(110, fields.Count);
        var alive = fields.Count(f => f.IsAlive);
        output.WriteLine($"field values still alive: {alive} of {fields.Count}");
        Assert.True(alive == 0, $"{alive} requests' 4 MiB field values are still referenced after the requests ended");

        // What the kept records hold: the heap they free when the store is cleared. Without counting and cutting,
        // 100 kept records hold 100 x 6 x 4 MiB x 2 bytes a char (4.8 GB); with counting alone, up to MaxStoreBytes.
        // Newest first: kept[0] is the small request sent before measuring, kept[1] the last 4 MB post.
        var json0 = await app.Client.GetStringAsync($"/_toolbar/api/requests/{kept[1].Id}");
        var clear = new HttpRequestMessage(HttpMethod.Post, "/_toolbar/api/requests/clear");
        clear.Headers.Add("X-Toolbar-Request", "1");
        (await app.Client.SendAsync(clear)).EnsureSuccessStatusCode();
        await PostAsync(app, 1024);
        var heapCleared = Measure();
        output.WriteLine($"records held {(heapAfter - heapCleared) / 1048576} MiB");
        Assert.True(heapAfter - heapCleared < options.MaxStoreBytes / 4, $"100 records held {(heapAfter - heapCleared) / 1048576} MiB");

        // The record shows the field cut, with its true length.
        Assert.Contains($"[{FieldChars} chars]", json0);
    }

    private static async Task PostAsync(MiniApp app, int chars)
    {
        var value = new string('v', chars);
        using var content = new FormUrlEncodedContent(Enumerable.Range(0, 6).Select(i => new KeyValuePair<string, string>("field" + i, value)));
        using var response = await app.Client.PostAsync("/upload", content);
        response.EnsureSuccessStatusCode();
    }

    private static long Measure()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
