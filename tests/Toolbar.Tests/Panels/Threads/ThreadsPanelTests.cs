using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Panels.Threads;
using Toolbar.Tests.Infrastructure;
using static Toolbar.Tests.Panels.Threads.ThreadsTestData;

namespace Toolbar.Tests.Panels.Threads;

[Collection(SerialCollection.Name)]
public class ThreadsPanelTests
{
    /// <summary>The threads data of one /blocking request, and how long the sample measured its own blocking call.</summary>
    private static async Task<(JsonElement Threads, double MeasuredMs)> SampleWaitAsync(string kind, int ms, bool taskWaits = false)
    {
        using var factory = new SampleAppFactory { Settings = { ["Toolbar:Threads:TaskWaits"] = taskWaits ? "true" : "false" } };
        var client = factory.CreateClient();
        // A first, short run pays for the cold start (JIT, a pool that has not grown yet), which is not what is measured.
        await ThreadsDataAsync(client, $"/blocking?kind={kind}&ms=1");
        Listen(factory.Services);
        // The task library's events are on from the start only for an app that asks; else from the first tracked request
        // seen blocking on a task: that wait is timed from the moment its thread blocked, the later ones from the call.
        Assert.Equal(taskWaits, WaitListener.TaskWaits is not null);
        if (kind == "result" && !taskWaits)
        {
            // Timed from the moment the thread blocked: within the call, so no longer than the sample measured it.
            using var firstResponse = await client.GetAsync("/blocking?kind=result&ms=50");
            var firstMeasured = BlockedMs(await firstResponse.Content.ReadAsStringAsync());
            var firstRecord = await client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/requests/{firstResponse.Headers.GetValues("X-Toolbar-Id").Single()}");
            var first = Assert.Single(firstRecord.GetProperty("panels").GetProperty("threads").GetProperty("blockingWaits").EnumerateArray());
            Assert.True(first.GetProperty("timedFromBlock").GetBoolean());
            Assert.True(first.GetProperty("durationMs").GetDouble() <= firstMeasured * 1.2, $"{first} measured {firstMeasured} ms");
            await WaitForTaskWaitsAsync();
        }

        await ThreadsDataAsync(client, $"/blocking?kind={kind}&ms=1");
        JsonElement threads = default;
        var measured = 0.0;
        // The runtime times the part of a wait where the thread is blocked. A lock or a semaphore spins (yielding its
        // time slice) before it blocks, which a machine with every core busy can stretch to a good part of the delay:
        // up to three requests are sent and the first whose waits are all blocked for most of it is returned (one that
        // timed waits short would have all three short).
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var response = await client.GetAsync($"/blocking?kind={kind}&ms={ms}");
            measured = BlockedMs(await response.Content.ReadAsStringAsync());
            var id = response.Headers.GetValues("X-Toolbar-Id").Single();
            threads = (await client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/requests/{id}")).GetProperty("panels").GetProperty("threads");
            Assert.True(threads.GetProperty("waitsWatched").GetBoolean());
            Assert.True(threads.GetProperty("waitsComplete").GetBoolean());
            // The call blocked at least the known delay; on a busy machine it may block longer (the delay's completion
            // waits for a thread too), which the sample measured around the call.
            Assert.True(measured >= ms * 0.95, $"{measured} ms");
            if (threads.GetProperty("blockingWaits").EnumerateArray().All(w => w.GetProperty("durationMs").GetDouble() >= ms * 0.8))
            {
                break;
            }
        }

        return (threads, measured);
    }

    /// <summary>How long the sample's /blocking page measured its own blocking call.</summary>
    private static double BlockedMs(string html) =>
        double.Parse(System.Text.RegularExpressions.Regex.Match(html, "data-blocked-ms=\"([0-9.]+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The wait's duration is the blocking call's: the known delay, or the time the sample measured when the machine made it longer, within 20 %.</summary>
    private static void AssertDuration(JsonElement wait, int delayMs, double measuredMs)
    {
        var duration = wait.GetProperty("durationMs").GetDouble();
        Assert.True(duration >= delayMs * 0.8 && duration <= measuredMs * 1.2, $"{duration} ms for a delay of {delayMs} ms measured as {measuredMs} ms");
    }

    private static async Task WaitForTaskWaitsAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (WaitListener.TaskWaits is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.NotNull(WaitListener.TaskWaits);
    }

    private static List<string> StackOf(JsonElement wait) => [.. wait.GetProperty("stack").EnumerateArray().Select(f => f.GetString()!)];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sample_blocking_page_records_the_Result_wait_with_its_method_and_the_delay_as_duration(bool taskWaits)
    {
        var (threads, measured) = await SampleWaitAsync("result", 100, taskWaits);

        var wait = Assert.Single(threads.GetProperty("blockingWaits").EnumerateArray());
        // The runtime's stack names Task.Result when its frame is known, else the wait is still a task wait.
        Assert.Contains(wait.GetProperty("kind").GetString(), new[] { "Task.Result", "Task wait" });
        AssertDuration(wait, 100, measured);
        Assert.False(wait.GetProperty("timedFromBlock").GetBoolean());
        Assert.StartsWith("SampleApp.BlockingWork.WaitForDelay", StackOf(wait)[0]);
        Assert.True(wait.GetProperty("threadPoolThread").GetBoolean());
    }

    [Fact]
    public async Task Sample_lock_contention_is_recorded_as_a_lock_with_its_method_and_the_time_the_lock_was_held()
    {
        var (threads, measured) = await SampleWaitAsync("lock", 200);

        var wait = Assert.Single(threads.GetProperty("blockingWaits").EnumerateArray());
        Assert.Equal("lock", wait.GetProperty("kind").GetString());
        AssertDuration(wait, 200, measured);
        var stack = StackOf(wait);
        Assert.StartsWith("SampleApp.BlockingWork.WaitForLock", stack[0]);
        // Resolved through the app's symbols: the file of the lock statement.
        Assert.Contains("Program.cs:", stack[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_semaphore_wait_is_recorded_with_its_method_and_the_release_delay_as_duration()
    {
        var (threads, measured) = await SampleWaitAsync("semaphore", 200);

        var wait = Assert.Single(threads.GetProperty("blockingWaits").EnumerateArray());
        Assert.Equal("waitHandle", wait.GetProperty("kind").GetString());
        AssertDuration(wait, 200, measured);
        Assert.StartsWith("SampleApp.BlockingWork.WaitForSemaphore", StackOf(wait)[0]);
    }

    [Fact]
    public async Task A_request_that_does_not_block_records_no_wait()
    {
        using var factory = new SampleAppFactory();
        var client = factory.CreateClient();
        // Database access, awaits and JSON: no thread blocks on a task, a lock or a wait handle.
        await ThreadsDataAsync(client, "/api/products");
        Listen(factory.Services);
        var threads = await ThreadsDataAsync(client, "/api/products");
        Assert.True(threads.GetProperty("waitsWatched").GetBoolean());
        // Nothing blocked on a task: awaits cost nothing more (the task library's events stay off).
        Assert.Null(WaitListener.TaskWaits);
        Assert.Empty(threads.GetProperty("blockingWaits").EnumerateArray());
        Assert.Equal(0, threads.GetProperty("blockedMs").GetDouble());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Wait_and_GetResult_are_told_apart_and_each_is_timed(bool taskWaits)
    {
        // The independent truth: the time each call took, measured around it (a delay's timer may fire a little early).
        double waitMs = 0, resultMs = 0;
        await using var app = await MiniApp.StartAsync(context =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Task.Delay(30).Wait();
            waitMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            Task.Delay(40).GetAwaiter().GetResult();
            resultMs = clock.Elapsed.TotalMilliseconds;
            return context.Response.WriteAsync("done");
        }, services: s => s.Configure<ThreadsPanelOptions>(o => o.TaskWaits = taskWaits));
        // A cold pool may have no spare thread to complete the delays (a real, longer wait): measure a warm one. Without
        // the option, the first request seen blocking on a task turns the task library's events on.
        Listen(app.Services);
        using var firstResponse = await app.Client.GetAsync("/");
        var firstId = firstResponse.Headers.GetValues("X-Toolbar-Id").Single();
        var first = (await app.Client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/requests/{firstId}")).GetProperty("panels").GetProperty("threads");
        var firstWaits = first.GetProperty("blockingWaits").EnumerateArray().ToList();
        Assert.All(firstWaits, w => Assert.Equal(!taskWaits, w.GetProperty("timedFromBlock").GetBoolean()));
        // The view says such a duration is a lower bound.
        var html = await app.Client.GetStringAsync($"/_toolbar/requests/{firstId}/panels/threads");
        Assert.Equal(!taskWaits && firstWaits.Count > 0, html.Contains("Timed from the moment the thread blocked", StringComparison.Ordinal));
        Assert.Equal(!taskWaits && firstWaits.Count > 0, html.Contains("≥ ", StringComparison.Ordinal) || html.Contains("&#x2265; ", StringComparison.Ordinal));
        await WaitForTaskWaitsAsync();
        var threads = await ThreadsDataAsync(app.Client, "/");
        var waits = threads.GetProperty("blockingWaits").EnumerateArray().ToList();
        Assert.Equal(2, waits.Count);
        Assert.All(waits, w => Assert.False(w.GetProperty("timedFromBlock").GetBoolean()));
        // Named after the API when the runtime's stack names its frame (precompiled framework code may stay unnamed).
        Assert.Contains(waits[0].GetProperty("kind").GetString(), new[] { "Task.Wait()", "Task wait" });
        Assert.Contains(waits[1].GetProperty("kind").GetString(), new[] { "GetAwaiter().GetResult()", "Task wait" });
        Assert.InRange(waits[0].GetProperty("durationMs").GetDouble(), 0.8 * waitMs, waitMs + 1);
        Assert.InRange(waits[1].GetProperty("durationMs").GetDouble(), 0.8 * resultMs, resultMs + 1);
        Assert.True(waits[1].GetProperty("startMs").GetDouble() >= waits[0].GetProperty("startMs").GetDouble() + (0.8 * waitMs));
    }

    [Fact]
    public async Task A_wait_of_another_request_is_not_counted()
    {
        var quietRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new object();
        await using var app = await MiniApp.StartAsync(async context =>
        {
            if (context.Request.Path == "/warm")
            {
                await context.Response.WriteAsync("warm");
                return;
            }

            if (context.Request.Path == "/blocker")
            {
                // Blocks three ways while the quiet request is tracked and listening: a task, a semaphore, a contended lock.
                await quietRunning.Task;
                Task.Delay(100).Wait();
                using (var semaphore = new SemaphoreSlim(0))
                using (new Timer(_ => semaphore.Release(), null, 100, Timeout.Infinite))
                {
                    semaphore.Wait();
                }

                var held = false;
                var holder = new Thread(() =>
                {
                    lock (gate)
                    {
                        Volatile.Write(ref held, true);
                        Thread.Sleep(100);
                    }
                });
                holder.Start();
                SpinWait.SpinUntil(() => Volatile.Read(ref held));
                lock (gate)
                {
                }

                await context.Response.WriteAsync("blocker");
                return;
            }

            quietRunning.SetResult();
            await Task.Delay(500);
            await context.Response.WriteAsync("quiet");
        });
        Listen(app.Services);
        await ThreadsDataAsync(app.Client, "/warm");

        // The quiet request never lists a wait. The blocker must show its three, or the check proves nothing; a
        // semaphore that a busy machine kept spinning until its release never blocked, so up to three pairs are sent.
        var seen = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            quietRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var quiet = ThreadsDataAsync(app.Client, "/quiet");
            var blocker = ThreadsDataAsync(app.Client, "/blocker");
            var quietData = await quiet;
            var blockerData = await blocker;
            Assert.True(quietData.GetProperty("waitsWatched").GetBoolean());
            Assert.Empty(quietData.GetProperty("blockingWaits").EnumerateArray());
            var kinds = blockerData.GetProperty("blockingWaits").EnumerateArray().Select(w => w.GetProperty("kind").GetString()).ToList();
            if (kinds.Count == 3 && kinds[1] == "waitHandle" && kinds[2] == "lock")
            {
                seen.Clear();
                break;
            }

            seen.Add(blockerData.ToString());
        }

        Assert.True(seen.Count == 0, string.Join("\n", seen));
    }

    [Fact]
    public async Task A_starved_thread_pool_is_reported()
    {
        using var done = new CountdownEvent(1);
        await using var app = await MiniApp.StartAsync(context =>
        {
            // The pool starved while this request holds its own thread for 300 ms: the queue-delay monitor's next
            // measurement, queued behind the blockers, cannot start.
            StarvePool(done);
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
    public async Task Threads_the_pool_starts_during_the_request_are_counted_from_the_runtimes_events()
    {
        var grewBy = 0;
        var pending = 0;
        await using var app = await MiniApp.StartAsync(context =>
        {
            if (context.Request.Path == "/warm")
            {
                return context.Response.WriteAsync("warm");
            }

            // More blocked work items than threads: the pool starts threads while this request waits for them to end.
            var before = ThreadPool.ThreadCount;
            var blockers = before + 64;
            Volatile.Write(ref pending, blockers);
            for (var i = 0; i < blockers; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(_ =>
                {
                    Task.Delay(1000).Wait();
                    Interlocked.Decrement(ref pending);
                }, null);
            }

            Thread.Sleep(1500);
            grewBy = ThreadPool.ThreadCount - before;
            return context.Response.WriteAsync("grown");
        });
        Listen(app.Services);
        await ThreadsDataAsync(app.Client, "/warm");
        try
        {
            var threads = await ThreadsDataAsync(app.Client, "/");
            var pool = threads.GetProperty("threadPool");
            Assert.True(pool.GetProperty("injectionsCounted").GetBoolean());
            var started = pool.GetProperty("injections").GetInt32();
            var retired = pool.GetProperty("retirements").GetInt32();
            // Independent truths: the pool's own thread counter. It grew by grewBy inside the handler, and every one of
            // those threads was started; over the whole request, starts minus ends is the counter's growth (a thread
            // counted just before the request's first instant or after its last may fall on either side).
            Assert.True(started >= grewBy, threads.ToString());
            var growth = pool.GetProperty("threadsEnd").GetInt32() - pool.GetProperty("threadsStart").GetInt32();
            Assert.InRange(started - retired, growth - 2, growth + 2);
            if (grewBy > 0)
            {
                Assert.NotEmpty(pool.GetProperty("adjustmentReasons").EnumerateArray());
            }
        }
        finally
        {
            while (Volatile.Read(ref pending) > 0)
            {
                await Task.Delay(50);
            }
        }
    }

    [Fact]
    public async Task Thread_Sleep_is_not_a_wait_the_runtime_reports()
    {
        await using var app = await MiniApp.StartAsync(context =>
        {
            Thread.Sleep(80);
            return context.Response.WriteAsync("slept");
        });
        Listen(app.Services);
        await ThreadsDataAsync(app.Client, "/");
        var threads = await ThreadsDataAsync(app.Client, "/");
        Assert.True(threads.GetProperty("waitsWatched").GetBoolean());
        Assert.Empty(threads.GetProperty("blockingWaits").EnumerateArray());
    }

    [Fact]
    public async Task A_quiet_thread_pool_reports_no_starvation_and_its_figures()
    {
        await using var app = await MiniApp.StartAsync(async context =>
        {
            await Task.Delay(60);
            await context.Response.WriteAsync("quiet");
        });
        // The first tracked request starts the wait listener, whose start (a rundown of the whole process) can itself
        // hold up a pool thread: it is not what is measured. A busy machine can still delay a pool item now and then,
        // so up to five requests are measured and one must look quiet; a monitor that counts wrong would fail all five.
        await ThreadsDataAsync(app.Client, "/");
        Listen(app.Services);
        JsonElement threads = default, pool = default;
        var seen = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            threads = await ThreadsDataAsync(app.Client, "/");
            pool = threads.GetProperty("threadPool");
            Assert.True(pool.GetProperty("queueProbeStarted").GetBoolean());
            Assert.True(pool.GetProperty("queueDelayMs").GetDouble() >= 0);
            if (threads.GetProperty("starvationWarning").ValueKind == JsonValueKind.Null && pool.GetProperty("queueDelayMs").GetDouble() <= 50)
            {
                seen.Clear();
                break;
            }

            seen.Add(threads.GetProperty("starvationWarning") + " " + pool);
        }

        Assert.True(seen.Count == 0, string.Join("\n", seen));
        Assert.True(pool.GetProperty("threadsStart").GetInt32() >= 1);
        Assert.True(pool.GetProperty("threadsEnd").GetInt32() >= 1);
        Assert.True(pool.GetProperty("queueStart").GetInt64() >= 0);
        Assert.Equal(Math.Max(0, pool.GetProperty("threadsEnd").GetInt32() - pool.GetProperty("threadsStart").GetInt32()), pool.GetProperty("injections").GetInt32());
    }
}
