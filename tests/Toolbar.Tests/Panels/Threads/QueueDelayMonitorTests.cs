using System.Diagnostics;
using Toolbar.Panels.Threads;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Threads;

/// <summary>The one queue-delay monitor that requests running at once share (it starves the pool: run alone).</summary>
[Collection(SerialCollection.Name)]
public class QueueDelayMonitorTests
{
    [Fact]
    public void Requests_running_at_once_each_read_the_waits_that_overlapped_them()
    {
        (double Ms, bool Ran) quiet = default, first = default, second = default;
        double secondRanMs = 0;
        using var done = new CountdownEvent(1);
        // On a thread of its own: the scenario blocks, and starves the pool.
        var scenario = new Thread(() =>
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
        });
        scenario.Start();
        Assert.True(scenario.Join(TimeSpan.FromSeconds(30)));
        Assert.True(done.Wait(TimeSpan.FromSeconds(30)));

        // The quiet request ran while another one kept the monitor going: its items ran, and at once.
        Assert.True(quiet.Ran);
        Assert.InRange(quiet.Ms, 0, 50);
        // Both requests overlapped the starvation; the later one counts it only from its own start.
        Assert.InRange(second.Ms, 100, secondRanMs);
        Assert.True(first.Ms >= second.Ms, $"first {first.Ms} ms, second {second.Ms} ms");
        Assert.True(first.Ran);
    }
}
