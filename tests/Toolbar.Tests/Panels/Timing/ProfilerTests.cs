using System.Diagnostics;

namespace Toolbar.Tests.Panels.Timing;

public class ProfilerTests
{
    [Fact]
    public void Step_outside_a_tracked_request_is_inactive()
    {
        using var step = Profiler.Step("untracked");
        Assert.Null(step.Activity);
    }

    [Fact]
    public void Step_outside_a_tracked_request_allocates_nothing()
    {
        long allocated = -1;
        // A fresh thread: no ambient record, no activity, nothing inherited from the test runner.
        var thread = new Thread(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                using (Profiler.Step("warm up"))
                {
                }
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                using (Profiler.Step("untracked"))
                {
                }
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        thread.Start();
        thread.Join();

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Step_outside_a_tracked_request_starts_no_activity_even_when_someone_listens()
    {
        var started = 0;
        // A unique name: steps of tracked requests in tests running in parallel must not be counted.
        var name = "untracked-" + Guid.NewGuid().ToString("N");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == Profiler.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = a =>
            {
                if (a.DisplayName == name)
                {
                    Interlocked.Increment(ref started);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using (Profiler.Step(name))
        {
        }

        Assert.Equal(0, started);
    }
}
