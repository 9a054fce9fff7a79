using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolbar.Panels.Logs;
using Toolbar.Tests.Infrastructure;
using static Toolbar.Tests.Panels.Context.ContextPanelTestHelpers;

namespace Toolbar.Tests.Panels.Logs;

public class LogsPanelTests
{
    private const string Category = "LogsTest";

    private static ILogger Logger(HttpContext ctx) => ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);

    private static List<JsonElement> TestRecords(JsonElement logs) =>
        logs.GetProperty("records").EnumerateArray().Where(r => r.GetProperty("category").GetString() == Category).ToList();

    [Fact]
    public async Task Log_written_inside_the_request_appears()
    {
        await using var app = await MiniApp.StartAsync(ctx =>
        {
            Logger(ctx).LogInformation("Loaded {Count} items", 3);
            return Task.CompletedTask;
        });
        var response = await app.Client.GetAsync("/");
        var logs = await PanelDataAsync(app.Client, ToolbarId(response), "logs");
        var record = Assert.Single(TestRecords(logs));
        Assert.Equal("Loaded 3 items", record.GetProperty("message").GetString());
        Assert.Equal("information", record.GetProperty("level").GetString());
    }

    [Fact]
    public async Task Values_of_secret_named_placeholders_are_masked_in_messages_and_scopes()
    {
        await using var app = await MiniApp.StartAsync(ctx =>
        {
            var logger = Logger(ctx);
            using (logger.BeginScope("Calling with {ApiKey}", "k-scope-4711"))
            {
                logger.LogInformation("Signing in {User} with {Password} and {AccessToken}", "alice", "hunter2-secret", "tok-0815");
            }

            return Task.CompletedTask;
        });
        var response = await app.Client.GetAsync("/");
        var logs = await PanelDataAsync(app.Client, ToolbarId(response), "logs");
        var record = Assert.Single(TestRecords(logs));
        Assert.Equal("Signing in alice with ******** and ********", record.GetProperty("message").GetString());
        Assert.Contains("Calling with ********", record.GetProperty("scopes").EnumerateArray().Select(x => x.GetString()));
        var all = logs.GetRawText() + await app.Client.GetStringAsync($"/_toolbar/requests/{ToolbarId(response)}/panels/logs");
        Assert.DoesNotContain("hunter2-secret", all);
        Assert.DoesNotContain("tok-0815", all);
        Assert.DoesNotContain("k-scope-4711", all);
    }

    [Fact]
    public async Task Log_of_a_concurrent_request_is_not_attributed()
    {
        var arrived = 0;
        var bothArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logged = 0;
        var bothLogged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            // Both requests are in flight while each one logs: only the ambient record can tell them apart.
            if (Interlocked.Increment(ref arrived) == 2)
            {
                bothArrived.SetResult();
            }

            await bothArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Logger(ctx).LogInformation("marker {Marker}", ctx.Request.Query["m"].ToString());
            if (Interlocked.Increment(ref logged) == 2)
            {
                bothLogged.SetResult();
            }

            await bothLogged.Task.WaitAsync(TimeSpan.FromSeconds(30));
        });
        var responses = await Task.WhenAll(app.Client.GetAsync("/?m=alpha"), app.Client.GetAsync("/?m=beta"));
        var alpha = TestRecords(await PanelDataAsync(app.Client, ToolbarId(responses[0]), "logs"));
        var beta = TestRecords(await PanelDataAsync(app.Client, ToolbarId(responses[1]), "logs"));
        Assert.Equal(["marker alpha"], alpha.Select(r => r.GetProperty("message").GetString()));
        Assert.Equal(["marker beta"], beta.Select(r => r.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Log_from_background_task_started_by_the_request_is_captured()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            var logger = Logger(ctx);
            await Task.Run(() => logger.LogWarning("from the thread pool"));
        });
        var response = await app.Client.GetAsync("/");
        var record = Assert.Single(TestRecords(await PanelDataAsync(app.Client, ToolbarId(response), "logs")));
        Assert.Equal("from the thread pool", record.GetProperty("message").GetString());
        Assert.Equal("warning", record.GetProperty("level").GetString());
    }

    [Fact]
    public async Task Scopes_event_id_and_exception_are_captured()
    {
        await using var app = await MiniApp.StartAsync(ctx =>
        {
            var logger = Logger(ctx);
            using (logger.BeginScope("Order {OrderId}", 42))
            {
                logger.LogError(new EventId(7, "OrderFailed"), new InvalidOperationException("out of stock"), "Order failed");
            }

            return Task.CompletedTask;
        });
        var response = await app.Client.GetAsync("/");
        var record = Assert.Single(TestRecords(await PanelDataAsync(app.Client, ToolbarId(response), "logs")));
        Assert.Equal(7, record.GetProperty("eventId").GetInt32());
        Assert.Equal("OrderFailed", record.GetProperty("eventName").GetString());
        Assert.Contains("Order 42", record.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.StartsWith("System.InvalidOperationException: out of stock", record.GetProperty("exception").GetString());
    }

    [Fact]
    public async Task Records_beyond_the_cap_are_counted_but_not_kept()
    {
        await using var app = await MiniApp.StartAsync(ctx =>
        {
            var logger = Logger(ctx);
            for (var i = 0; i < LogState.MaxRecords + 5; i++)
            {
                logger.LogInformation("line {Index}", i);
            }

            return Task.CompletedTask;
        });
        var response = await app.Client.GetAsync("/");
        var logs = await PanelDataAsync(app.Client, ToolbarId(response), "logs");
        Assert.Equal(LogState.MaxRecords, logs.GetProperty("records").GetArrayLength());
        Assert.Equal(LogState.MaxRecords + 5, logs.GetProperty("total").GetInt32());
        Assert.Equal(5, logs.GetProperty("dropped").GetInt32());
    }

    [Fact]
    public async Task Warnings_and_errors_are_counted_in_the_nav()
    {
        await using var app = await MiniApp.StartAsync(ctx =>
        {
            var logger = Logger(ctx);
            logger.LogWarning("careful");
            logger.LogError("broken");
            logger.LogCritical("very broken");
            return Task.CompletedTask;
        });
        var response = await app.Client.GetAsync("/");
        var id = ToolbarId(response);
        var logs = await PanelDataAsync(app.Client, id, "logs");
        Assert.Equal(1, logs.GetProperty("warningCount").GetInt32());
        Assert.Equal(2, logs.GetProperty("errorCount").GetInt32());
        var nav = await NavAsync(app.Client, id, "logs");
        Assert.EndsWith(", 2 errors, 1 warning", nav.GetProperty("subtitle").GetString());
        Assert.Equal("error", nav.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Logger_is_disabled_outside_tracked_requests()
    {
        await using var app = await MiniApp.StartAsync(_ => Task.CompletedTask);
        var provider = app.Services.GetServices<ILoggerProvider>().OfType<ToolbarLoggerProvider>().Single();
        Assert.False(provider.CreateLogger(Category).IsEnabled(LogLevel.Critical));
    }
}
