using Toolbar.Panels.Memory;

namespace Toolbar.Tests.Panels.Memory;

public class AllocationTrackerTests
{
    [Fact]
    public async Task A_thread_that_entered_before_the_tracker_started_is_not_counted_when_it_leaves()
    {
        var record = new RequestRecord("GET", "/", "");
        var entered = new SemaphoreSlim(0);
        var release = new SemaphoreSlim(0);
        Task worker;
        AllocationTracker tracker;
        RequestRecord.Current = record;
        try
        {
            // Work that carries the request's context and starts before the memory panel attaches its tracker
            // (an earlier panel's hook could start such work). Its thread allocates 16 MB first.
            worker = Task.Run(async () =>
            {
                var keep = new List<byte[]>();
                for (var i = 0; i < 16; i++)
                {
                    keep.Add(new byte[1024 * 1024]);
                }

                GC.KeepAlive(keep);
                entered.Release();
                await release.WaitAsync();
            });
            await entered.WaitAsync();
            tracker = AllocationTracker.Start(record);
        }
        finally
        {
            RequestRecord.Current = null;
        }

        release.Release();
        await worker;

        // The worker's leaving must add nothing: the tracker never saw it enter, so it has no start figure for it.
        Assert.InRange(tracker.Bytes, 0, 1024 * 1024);
    }
}
