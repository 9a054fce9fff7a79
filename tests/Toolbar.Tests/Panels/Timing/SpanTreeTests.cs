using System.Diagnostics;
using Toolbar.Panels.Timing;

namespace Toolbar.Tests.Panels.Timing;

/// <summary>The span tree from activities with known start and end times: exact figures, no clock involved.</summary>
public class SpanTreeTests
{
    private static readonly DateTime s_start = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private static Activity Begin(string name, double startMs)
    {
        var activity = new Activity(name);
        activity.SetStartTime(s_start.AddMilliseconds(startMs));
        return activity.Start();
    }

    private static void End(Activity activity, double endMs)
    {
        activity.SetEndTime(s_start.AddMilliseconds(endMs));
        activity.Stop();
    }

    [Fact]
    public void Self_time_counts_overlapping_children_once_and_the_largest_self_time_is_slowest()
    {
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            var outer = Begin("outer", 10);
            var inner = Begin("inner", 20);
            End(inner, 50);
            var a = Begin("a", 55);
            Activity.Current = outer; // b starts beside a, as a parallel branch would
            var b = Begin("b", 60);
            End(b, 85);
            Activity.Current = a;
            End(a, 80);
            End(outer, 90);

            var data = SpanTree.Build("GET /", s_start, 100, [outer, inner, a, b]);

            Assert.Equal(["GET /", "outer", "inner", "a", "b"], data.Spans.Select(s => s.Name));
            Assert.Equal([null, 0, 1, 1, 1], data.Spans.Select(s => s.ParentId));
            Assert.Equal([0.0, 10, 20, 55, 60], data.Spans.Select(s => s.StartMs));
            Assert.Equal([100.0, 80, 30, 25, 25], data.Spans.Select(s => s.DurationMs));
            // outer's children cover 20–50 and 55–85 (a and b overlap): 60 ms, so outer itself took 20 ms.
            Assert.Equal([20.0, 20, 30, 25, 25], data.Spans.Select(s => s.SelfMs));
            Assert.Equal(2, data.SlowestSpanId);
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    [Fact]
    public void Activity_never_stopped_is_unfinished_and_ends_with_the_request()
    {
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            var leaked = Begin("leaked", 40);
            Activity.Current = null;

            var data = SpanTree.Build("GET /", s_start, 75.5, [leaked]);

            var span = data.Spans[1];
            Assert.True(span.Unfinished);
            Assert.Equal((40.0, 35.5), (span.StartMs, span.DurationMs));
            Assert.False(data.Spans[0].Unfinished);
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    [Fact]
    public void Child_that_outlives_its_parent_is_cut_at_the_parents_end()
    {
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            var parent = Begin("parent", 10);
            var child = Begin("child", 20);
            Activity.Current = parent;
            End(parent, 30);
            End(child, 45);

            var data = SpanTree.Build("GET /", s_start, 100, [parent, child]);

            Assert.Equal((20.0, 10.0), (data.Spans[2].StartMs, data.Spans[2].DurationMs));
            Assert.Equal(1, data.Spans[2].ParentId);
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    [Fact]
    public void Activity_whose_parent_was_not_recorded_hangs_off_the_request()
    {
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            var hosting = Begin("hosting", 0);
            var step = Begin("step", 5);
            End(step, 15);
            End(hosting, 100);

            var data = SpanTree.Build("GET /", s_start, 100, [step]);

            Assert.Equal([null, 0], data.Spans.Select(s => s.ParentId));
            Assert.Equal("activity", data.Spans[1].Source);
        }
        finally
        {
            Activity.Current = previous;
        }
    }
}
