using System.Diagnostics;
using Toolbar.Panels.Threads;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Threads;

/// <summary>The one queue-delay monitor that requests running at once share (it starves the pool: run alone).</summary>
[Collection(SerialCollection.Name)]
public class QueueDelayMonitorTests
{
    [Fact]
    public async Task Requests_running_at_once_each_read_the_waits_that_overlapped_them()
    {
        // The quiet part needs a pool that is quiet: a fresh test process starts with a few threads, which the test
        // framework's own work can keep busy for a moment (the monitor would rightly report that as a wait).
        await PoolAnswersPromptlyAsync();
        (double Ms, bool Ran) quiet = default, first = default, second = default;
        double secondRanMs = 0;
        using var done = new CountdownEvent(1);
        void Body()
        {
            var firstStart = Stopwatch.GetTimestamp();
            var firstMark = QueueDelayMonitor.Enter();
            Thread.Sleep(100);
            var quietStart = Stopwatch.GetTimestamp();
            var quietMark = QueueDelayMonitor.Enter();
            Thread.Sleep(60);
            quiet = QueueDelayMonitor.Exit(quietMark, quietStart);

            ThreadsTestData.StarvePool(done);
            var secondStart = Stopwatch.GetTimestamp();
            var secondMark = QueueDelayMonitor.Enter();
            Thread.Sleep(300);
            second = QueueDelayMonitor.Exit(secondMark, secondStart);
            secondRanMs = Stopwatch.GetElapsedTime(secondStart).TotalMilliseconds;
            first = QueueDelayMonitor.Exit(firstMark, firstStart);
        }

        // On a thread of its own: the scenario blocks, and starves the pool.
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scenario = new Thread(() =>
        {
            Body();
            ended.SetResult();
        });
        scenario.Start();
        await ended.Task.WaitAsync(TimeSpan.FromSeconds(30));
        while (!done.IsSet)
        {
            await Task.Delay(50);
        }

        // The quiet request ran while another one kept the monitor going: its items ran, and at once.
        Assert.True(quiet.Ran, "no measurement ran during the quiet request");
        Assert.InRange(quiet.Ms, 0, 50);
        // Both requests overlapped the starvation; the later one counts it only from its own start.
        Assert.InRange(second.Ms, 100, secondRanMs);
        Assert.True(first.Ms >= second.Ms, $"first {first.Ms} ms, second {second.Ms} ms");
        Assert.True(first.Ran, "no measurement ran during the first request");
    }

    private static async Task PoolAnswersPromptlyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var queued = Stopwatch.GetTimestamp();
            var ran = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            ThreadPool.UnsafeQueueUserWorkItem(_ => ran.SetResult(Stopwatch.GetElapsedTime(queued)), null);
            if (await ran.Task < TimeSpan.FromMilliseconds(5))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the thread pool never answered within 5 ms");
    }
}
