using Microsoft.AspNetCore.Http;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Panels.Threads;
using Toolbar.Tests.Infrastructure;
using static Toolbar.Tests.Panels.Threads.ThreadsTestData;

namespace Toolbar.Tests.Panels.Threads;

/// <summary>The listener's sessions ask the runtime for only the events the panel reads: the rest would cost the app.</summary>
[Collection(SerialCollection.Name)]
public class ThreadsSessionFilterTests
{
    [Fact]
    public async Task The_task_and_pool_sessions_bring_only_the_events_the_panel_reads()
    {
        // Work that raises the events the keywords bring: tasks scheduled, started and completed, awaits that suspend, a
        // task waited on synchronously, pool threads that go idle and wait for work.
        await using var app = await MiniApp.StartAsync(async context =>
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(static () => { })));
            await Task.Delay(20);
            await Task.Run(static () => Task.Delay(30).Wait());
            await context.Response.WriteAsync("ok");
        }, services: s => s.Configure<ThreadsPanelOptions>(o => o.TaskWaits = true));
        Listen(app.Services);
        for (var i = 0; i < 3; i++)
        {
            await ThreadsDataAsync(app.Client, "/");
            await Task.Delay(100);
        }

        var tasks = WaitListener.TaskWaits!.EventIdsOf(TplEtwProviderTraceEventParser.ProviderGuid);
        var pool = WaitListener.Pool!.EventIdsOf(ClrTraceEventParser.ProviderGuid);

        // TaskWaitBegin (10) and TaskWaitEnd (11) only; unfiltered, the keyword brings TaskScheduled (7), TaskStarted (8),
        // TaskCompleted (9) and the continuation events.
        Assert.Equal([10, 11], tasks);
        // Pool threads started (50) and stopped (51), and the pool's adjustments (55); unfiltered, an idle pool thread's
        // wait for work (57) and the hill climbing's samples (54, 56).
        Assert.All(pool, id => Assert.Contains(id, new[] { 50, 51, 55 }));
    }
}
