using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

/// <summary>
/// Faults around the toolbar: the client goes away, the app throws late, a request is cancelled, a panel
/// throws. The toolbar must let only the app's own exception through, store the record and hold nothing.
/// </summary>
[Collection(SerialCollection.Name)]
public class FaultTests
{
    private const string Head = "<!DOCTYPE html><html><body><p>first part</p>";

    // 32 KB of page, then a </body> and 8 KB the toolbar holds back when the client leaves.
    private static readonly string Filler = new string('x', 32 * 1024) + "</body><!--" + new string('y', 8 * 1024) + "-->";

    // Every record the reset-page handler ran under; after eviction they must be collectable.
    private static readonly ConcurrentQueue<WeakReference<RequestRecord>> Alive = new();

    /// <summary>Records what escaped the toolbar (placed outside it) and when each request ended.</summary>
    private sealed class Outcomes
    {
        public ConcurrentQueue<Exception> Escaped { get; } = new();

        public ConcurrentQueue<string> Finished { get; } = new();

        public void Install(WebApplication app) => app.Use(async (HttpContext ctx, RequestDelegate next) =>
        {
            try
            {
                await next(ctx);
            }
            catch (Exception ex)
            {
                Escaped.Enqueue(ex);
            }
            finally
            {
                Finished.Enqueue(ctx.Request.Path + ctx.Request.QueryString);
            }
        });

        public async Task WaitForAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (Finished.Count < count)
            {
                await Task.Delay(10, timeout.Token);
            }
        }
    }

    /// <summary>Writes the head of a page, waits until the client is gone, then finishes the page normally.</summary>
    private static async Task PageUntilClientLeaves(HttpContext ctx)
    {
        Alive.Enqueue(new WeakReference<RequestRecord>(RequestRecord.Current!));
        ctx.Response.ContentType = "text/html; charset=utf-8";
        await ctx.Response.WriteAsync(Head);
        await ctx.Response.WriteAsync(Filler);
        await ctx.Response.Body.FlushAsync();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(20), ctx.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client left; a well-behaved app finishes its page anyway (writes after an abort are ignored).
        }

        await ctx.Response.WriteAsync("</html>", CancellationToken.None);
    }

    private static async Task<RequestRecord> SingleRecordAsync(IServiceProvider services, string path)
    {
        var store = services.GetRequiredService<IToolbarStore>();
        var summary = Assert.Single(await store.ListAsync(), s => s.Path == path);
        return (await store.GetAsync(summary.Id))!;
    }

    [Fact]
    public async Task Client_reset_mid_page_lets_no_exception_escape_and_stores_the_record()
    {
        var outcomes = new Outcomes();
        await using var app = await KestrelMiniApp.StartAsync(PageUntilClientLeaves, beforeToolbar: outcomes.Install);

        var received = await app.GetThenResetAsync("/page", "first part");
        await outcomes.WaitForAsync(1);

        Assert.Contains("X-Toolbar-Id", received, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(outcomes.Escaped);
        var record = await SingleRecordAsync(app.Services, "/page");
        Assert.True(record.IsFinished);
        Assert.Equal(200, record.StatusCode);
        Assert.Equal("/page", Assert.IsType<Toolbar.Panels.Request.RequestData>(record.Panels["request"]).Path);
    }

    [Fact]
    public async Task App_exception_after_response_started_escapes_as_the_apps_own()
    {
        var thrown = new InvalidOperationException("app failed mid-page");
        var outcomes = new Outcomes();
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync(Head);
            await ctx.Response.Body.FlushAsync();
            throw thrown;
        }, beforeToolbar: outcomes.Install);

        var response = await app.Client.GetAsync("/late-failure");
        await outcomes.WaitForAsync(1);

        Assert.Same(thrown, Assert.Single(outcomes.Escaped));
        Assert.Equal(Head, await response.Content.ReadAsStringAsync());
        var record = await SingleRecordAsync(app.Services, "/late-failure");
        Assert.True(record.IsFinished);
        Assert.Equal(200, record.StatusCode);
    }

    [Fact]
    public async Task App_exception_after_body_tag_keeps_every_byte_the_app_wrote()
    {
        // The toolbar holds "</body>..." back to inject before it; when the app then fails, those bytes are the
        // app's and must still go out (without the toolbar), not vanish.
        const string written = "<html><body><p>done</p></body></html>";
        var outcomes = new Outcomes();
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync(written);
            await ctx.Response.Body.FlushAsync();
            throw new InvalidOperationException("failure after the page was written");
        }, beforeToolbar: outcomes.Install);

        var response = await app.Client.GetAsync("/late-failure");
        await outcomes.WaitForAsync(1);

        Assert.IsType<InvalidOperationException>(Assert.Single(outcomes.Escaped));
        Assert.Equal(written, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Cancelled_request_lets_only_the_apps_cancellation_escape()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outcomes = new Outcomes();
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            started.SetResult();
            await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted);
        }, beforeToolbar: outcomes.Install);

        using var cancel = new CancellationTokenSource();
        var request = app.Client.GetAsync("/cancelled", cancel.Token);
        await started.Task;
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await outcomes.WaitForAsync(1);

        Assert.IsType<TaskCanceledException>(Assert.Single(outcomes.Escaped));
        var record = await SingleRecordAsync(app.Services, "/cancelled");
        Assert.True(record.IsFinished);
        Assert.Null(RequestRecord.Current);
    }

    [Fact]
    public async Task Throwing_panel_hooks_leave_the_page_and_other_panels_intact()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync("<html><body><p>page</p></body></html>");
        }, o => o.Panels.Add<ThrowingPanel>());

        var response = await app.Client.GetAsync("/with-bad-panel");
        var body = await response.Content.ReadAsStringAsync();
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("<html><body><p>page</p><div id=\"toolbar-root\" data-toolbar-id=\"" + id + "\"", body, StringComparison.Ordinal);
        Assert.EndsWith("</script></body></html>", body, StringComparison.Ordinal);
        Assert.StartsWith("total;dur=", response.Headers.GetValues("Server-Timing").Single(), StringComparison.Ordinal);
        var record = await SingleRecordAsync(app.Services, "/with-bad-panel");
        Assert.DoesNotContain(ThrowingPanel.PanelId, record.Panels.Keys);
        Assert.Contains("request", record.Panels.Keys);
        Assert.Equal(
            "OnRequestStarted: InvalidOperationException: broken panel (OnRequestStarted)",
            record.PanelErrors[ThrowingPanel.PanelId]);
        var detail = await app.Client.GetStringAsync($"/_toolbar/requests/{id}/panels/request");
        Assert.Contains("/with-bad-panel", detail, StringComparison.Ordinal);
    }

    [Fact]
    // Measures this process's GC heap: beside other tests' allocations the figure would be theirs too.
    [Trait("Process", "Alone")]
    public async Task Two_thousand_reset_requests_keep_store_and_heap_bounded()
    {
        const int requests = 2_000;
        var outcomes = new Outcomes();
        await using var app = await KestrelMiniApp.StartAsync(PageUntilClientLeaves, beforeToolbar: outcomes.Install);
        var store = (InMemoryToolbarStore)app.Services.GetRequiredService<IToolbarStore>();

        // Warm up to the store's capacity so that the baseline already holds a full store.
        await RunResetsAsync(app, 0, 150);
        await outcomes.WaitForAsync(150);

        // Two equal halves: what is kept per request grows the heap in both, while a one-off growth (a pool
        // reaching its size, another test's late background work in this process) shows in one of them only.
        var growth = new long[2];
        for (var half = 0; half < 2; half++)
        {
            var before = HeapAfterFullCollection();
            var from = 150 + (half * requests / 2);
            await RunResetsAsync(app, from, requests / 2);
            await outcomes.WaitForAsync(from + (requests / 2));
            growth[half] = HeapAfterFullCollection() - before;
        }

        Assert.Empty(outcomes.Escaped);
        Assert.Equal(100, store.Count);
        Assert.Equal(100, Alive.Count(w => w.TryGetTarget(out var r) && r.Path == "/reset"));
        Assert.All(await store.ListAsync(), s => Assert.Equal(200, s.StatusCode));
        // Each request wrote 40 KB and had 8 KB held back: keeping even 8 KB per request would be 8 MB a half.
        Assert.True(
            Math.Min(growth[0], growth[1]) < 8 * 1024 * 1024,
            $"GC heap grew by {growth[0]:N0} and {growth[1]:N0} bytes over two halves of {requests / 2} reset requests.");
    }

    private static async Task RunResetsAsync(KestrelMiniApp app, int from, int count)
    {
        var next = from;
        var end = from + count;
        var workers = Enumerable.Range(0, 8).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next) - 1) < end)
            {
                await app.GetThenResetAsync($"/reset?n={n}", "first part");
            }
        });
        await Task.WhenAll(workers);
    }

    private static long HeapAfterFullCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>A panel whose every hook throws.</summary>
    public sealed class ThrowingPanel : ToolbarPanel<ThrowingPanel.Nothing>
    {
        public const string PanelId = "throwing";

        public override string Id => PanelId;

        public override string Title => "Throwing";

        public override void OnRequestStarted(PanelContext context) => throw new InvalidOperationException("broken panel (OnRequestStarted)");

        public override void OnResponseStarting(PanelContext context, ServerTimingBuilder serverTiming) =>
            throw new InvalidOperationException("broken panel (OnResponseStarting)");

        public override void OnRequestFinished(PanelContext context) => throw new InvalidOperationException("broken panel (OnRequestFinished)");

        /// <summary>No data: the panel never gets to produce any.</summary>
        public sealed class Nothing
        {
        }
    }
}
