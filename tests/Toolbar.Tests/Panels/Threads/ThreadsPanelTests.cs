using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Panels.Threads;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Threads;

[Collection(SerialCollection.Name)]
public class ThreadsPanelTests
{
    private static async Task<JsonElement> ThreadsDataAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var record = await client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/requests/{id}");
        return record.GetProperty("panels").GetProperty("threads");
    }

    [Fact]
    public async Task Sample_blocking_page_records_the_Result_wait_with_its_method_and_the_delay_as_duration()
    {
        using var factory = new SampleAppFactory();
        var client = factory.CreateClient();
        // A first, short run pays for the cold start (JIT, a pool that has not grown yet), which is not what is measured.
        await ThreadsDataAsync(client, "/blocking?ms=1");
        var threads = await ThreadsDataAsync(client, "/blocking?ms=100");

        var wait = Assert.Single(threads.GetProperty("blockingWaits").EnumerateArray());
        Assert.Equal("Task.Result", wait.GetProperty("kind").GetString());
        Assert.True(wait.GetProperty("durationMs").GetDouble() is >= 80 and <= 120, threads.ToString());
        var stack = wait.GetProperty("stack").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.StartsWith("SampleApp.BlockingWork.WaitForDelay", stack[0]);
        Assert.True(wait.GetProperty("threadPoolThread").GetBoolean());
    }

    [Fact]
    public async Task A_request_that_does_not_block_records_no_wait()
    {
        using var factory = new SampleAppFactory();
        var client = factory.CreateClient();
        // Database access, awaits and JSON: no thread blocks on a task.
        var threads = await ThreadsDataAsync(client, "/api/products");
        Assert.Empty(threads.GetProperty("blockingWaits").EnumerateArray());
        Assert.Equal(0, threads.GetProperty("blockedMs").GetDouble());
    }

    [Fact]
    public async Task Wait_and_GetResult_are_told_apart_and_each_is_timed()
    {
        await using var app = await MiniApp.StartAsync(context =>
        {
            Task.Delay(30).Wait();
            Task.Delay(40).GetAwaiter().GetResult();
            return context.Response.WriteAsync("done");
        });
        // A cold pool may have no spare thread to complete the delays (a real, longer wait): measure a warm one.
        await ThreadsDataAsync(app.Client, "/");
        var threads = await ThreadsDataAsync(app.Client, "/");
        var waits = threads.GetProperty("blockingWaits").EnumerateArray().ToList();
        Assert.Equal(["Task.Wait()", "GetAwaiter().GetResult()"], waits.Select(w => w.GetProperty("kind").GetString()));
        Assert.InRange(waits[0].GetProperty("durationMs").GetDouble(), 29, 60);
        Assert.InRange(waits[1].GetProperty("durationMs").GetDouble(), 39, 70);
        Assert.True(waits[1].GetProperty("startMs").GetDouble() >= waits[0].GetProperty("startMs").GetDouble() + 29);
    }

    [Fact]
    public async Task A_wait_of_another_request_is_not_counted()
    {
        var quietRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await MiniApp.StartAsync(async context =>
        {
            if (context.Request.Path == "/blocker")
            {
                // Blocks while the quiet request is tracked and listening.
                await quietRunning.Task;
                Task.Delay(150).Wait();
                await context.Response.WriteAsync("blocker");
                return;
            }

            quietRunning.SetResult();
            await Task.Delay(300);
            await context.Response.WriteAsync("quiet");
        });
        var quiet = ThreadsDataAsync(app.Client, "/quiet");
        var blocker = ThreadsDataAsync(app.Client, "/blocker");
        var quietData = await quiet;
        var blockerData = await blocker;
        Assert.Empty(quietData.GetProperty("blockingWaits").EnumerateArray());
        Assert.Single(blockerData.GetProperty("blockingWaits").EnumerateArray());
    }

    [Fact]
    public async Task A_starved_thread_pool_is_reported()
    {
        using var done = new CountdownEvent(1);
        await using var app = await MiniApp.StartAsync(context =>
        {
            // Every pool thread, and more items than the pool can add threads for meanwhile, blocked for 600 ms, while this
            // request holds its own thread for 300 ms: the panel's probe, queued behind them, cannot start.
            var blockers = ThreadPool.ThreadCount + 48;
            done.Reset(blockers);
            for (var i = 0; i < blockers; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(_ =>
                {
                    Thread.Sleep(600);
                    done.Signal();
                }, null);
            }

            Thread.Sleep(300);
            return context.Response.WriteAsync("starved");
        });
        var threads = await ThreadsDataAsync(app.Client, "/");
        Assert.True(threads.GetProperty("starvationWarning").GetString()?.StartsWith("New work", StringComparison.Ordinal) == true, threads.ToString());
        Assert.True(threads.GetProperty("threadPool").GetProperty("queueDelayMs").GetDouble() >= 100);
        // Let the blockers finish before the next test.
        while (!done.IsSet)
        {
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_quiet_thread_pool_reports_no_starvation_and_its_figures()
    {
        await using var app = await MiniApp.StartAsync(async context =>
        {
            await Task.Delay(60);
            await context.Response.WriteAsync("quiet");
        });
        var threads = await ThreadsDataAsync(app.Client, "/");
        var pool = threads.GetProperty("threadPool");
        Assert.Equal(JsonValueKind.Null, threads.GetProperty("starvationWarning").ValueKind);
        Assert.True(pool.GetProperty("queueProbeStarted").GetBoolean());
        Assert.InRange(pool.GetProperty("queueDelayMs").GetDouble(), 0, 50);
        Assert.True(pool.GetProperty("threadsStart").GetInt32() >= 1);
        Assert.True(pool.GetProperty("threadsEnd").GetInt32() >= 1);
        Assert.True(pool.GetProperty("queueStart").GetInt64() >= 0);
        Assert.Equal(Math.Max(0, pool.GetProperty("threadsEnd").GetInt32() - pool.GetProperty("threadsStart").GetInt32()), pool.GetProperty("injections").GetInt32());
    }

    [Fact]
    public async Task The_listener_is_on_only_while_a_tracked_request_runs()
    {
        var during = -1;
        ThreadsPanel? panel = null;
        await using var app = await MiniApp.StartAsync(context =>
        {
            during = panel!.Listener.Users;
            return context.Response.WriteAsync("ok");
        });
        panel = app.Services.GetRequiredService<ToolbarPanels>().Find<ThreadsPanel>()!;
        (await app.Client.GetAsync("/")).EnsureSuccessStatusCode();
        Assert.Equal(1, during);
        Assert.Equal(0, panel.Listener.Users);
    }

    [Fact]
    public async Task While_the_listener_is_on_each_await_allocates_on_the_request_and_the_memory_panel_counts_it()
    {
        static async Task Awaits(HttpContext context)
        {
            for (var i = 0; i < 1000; i++)
            {
                await Task.Yield();
            }

            await context.Response.WriteAsync("done");
        }

        static async Task<long> AllocatedAsync(MiniApp app)
        {
            await app.Client.GetAsync("/");
            using var response = await app.Client.GetAsync("/");
            var id = response.Headers.GetValues("X-Toolbar-Id").Single();
            var record = await app.Client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/requests/{id}");
            return record.GetProperty("panels").GetProperty("memory").GetProperty("allocatedBytes").GetInt64();
        }

        await using var on = await MiniApp.StartAsync(Awaits);
        await using var off = await MiniApp.StartAsync(Awaits, o => o.DisabledPanels.Add("threads"));
        var withThreads = await AllocatedAsync(on);
        var withoutThreads = await AllocatedAsync(off);

        // The runtime's task events (one or more per await) are allocated on the awaiting thread: at least 100 bytes per await.
        Assert.True(withThreads - withoutThreads >= 1000 * 100, $"{withThreads} vs {withoutThreads}");
    }
}
