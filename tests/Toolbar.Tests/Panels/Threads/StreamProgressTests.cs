using System.Diagnostics;
using Toolbar.Panels.Threads;

namespace Toolbar.Tests.Panels.Threads;

/// <summary>Reading a record's threads data waits until the wait sessions have read past the request's end.</summary>
public class StreamProgressTests
{
    [Fact]
    public void A_reader_gives_up_at_once_when_its_session_stopped_reading()
    {
        var progress = new StreamProgress(Guid.NewGuid());
        var clock = Stopwatch.StartNew();

        Assert.False(progress.WaitUntilRead(long.MaxValue, TimeSpan.FromSeconds(10), static () => false));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_reader_of_a_stream_that_never_moves_gives_up_at_its_timeout()
    {
        var progress = new StreamProgress(Guid.NewGuid());
        var clock = Stopwatch.StartNew();

        Assert.False(progress.WaitUntilRead(long.MaxValue, TimeSpan.FromMilliseconds(300), static () => true));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"gave up after {clock.Elapsed}");
    }
}
