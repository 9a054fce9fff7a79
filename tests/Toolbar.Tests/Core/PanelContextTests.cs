using Microsoft.AspNetCore.Http;

namespace Toolbar.Tests.Core;

/// <summary><see cref="PanelContext"/> is a value made for each hook call: a panel's hooks cost the request no context object.</summary>
public class PanelContextTests
{
    [Fact]
    public void Making_a_context_and_passing_it_to_a_hook_allocates_nothing()
    {
        var record = new RequestRecord("GET", "/", "");
        var http = new DefaultHttpContext();
        var panel = new ReadingPanel();
        for (var i = 0; i < 100; i++)
        {
            panel.OnRequestStarted(new PanelContext(http, record, panel));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            panel.OnRequestStarted(new PanelContext(http, record, panel));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(typeof(PanelContext).IsValueType);
        Assert.Equal(0, allocated);
        // Every call saw its own request, record and panel.
        Assert.Equal(1100, panel.Seen);
    }

    private sealed class ReadingPanel : ToolbarPanel<object>
    {
        public int Seen { get; private set; }

        public override string Id => "reading";

        public override string Title => "Reading";

        public override void OnRequestStarted(PanelContext context)
        {
            if (context.HttpContext is not null && context.Record is not null && ReferenceEquals(context.Panel, this))
            {
                Seen++;
            }
        }
    }
}
