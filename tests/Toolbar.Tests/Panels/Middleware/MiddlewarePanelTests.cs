using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Panels.Middleware;

namespace Toolbar.Tests.Panels.Middleware;

public class MiddlewarePanelTests
{
    private const int EndpointDelayMs = 40;

    private static Task<MiddlewareTestApp> StartAppAsync() => MiddlewareTestApp.StartAsync(
        app =>
        {
            app.UseDebugToolbar();
            app.UseMiddleware<DelayThenNextMiddleware>();
            app.Use(InlineMiddleware.PassThrough);
            app.UseMiddleware<AnswerShortMiddleware>();
            app.MapGet("/ok", async (OwnMeasurements measurements) =>
            {
                var start = Stopwatch.GetTimestamp();
                await Task.Delay(EndpointDelayMs);
                measurements.EndpointMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                return "ok";
            });
        },
        services => services.AddSingleton<OwnMeasurements>());

    private static List<(int Index, string Name, string Kind, int Calls, double Inclusive, double Exclusive, bool Short)> Rows(JsonElement panel) =>
        [.. panel.GetProperty("middleware").EnumerateArray().Select(m => (
            m.GetProperty("index").GetInt32(),
            m.GetProperty("name").GetString()!,
            m.GetProperty("kind").GetString()!,
            m.GetProperty("calls").GetInt32(),
            m.GetProperty("inclusiveMs").GetDouble(),
            m.GetProperty("exclusiveMs").GetDouble(),
            m.GetProperty("shortCircuited").GetBoolean()))];

    private static List<(string Name, bool Threw)> Rows2(JsonElement panel) =>
        [.. panel.GetProperty("middleware").EnumerateArray().Select(m => (m.GetProperty("name").GetString()!, m.GetProperty("threw").GetBoolean()))];

    [Fact]
    public async Task Pipeline_lists_the_apps_middleware_in_registration_order_inside_what_WebApplication_adds()
    {
        await using var app = await StartAppAsync();
        var rows = Rows(await app.GetPanelAsync("/ok"));
        var names = rows.Select(r => r.Name).ToList();

        // The order the test registered them in (the independent truth), as a contiguous run of the app's own middleware.
        string[] registered = ["ToolbarMiddleware", "DelayThenNextMiddleware", "InlineMiddleware.PassThrough", "AnswerShortMiddleware"];
        var first = names.IndexOf("ToolbarMiddleware");
        Assert.True(first >= 0, string.Join(", ", names));
        Assert.Equal(registered, names.Skip(first).Take(registered.Length));
        Assert.All(rows.Skip(first).Take(registered.Length), r => Assert.NotEqual("host", r.Kind));

        // What WebApplication adds on its own: the developer exception page and routing before the app's middleware, endpoints after.
        Assert.Contains("DeveloperExceptionPageMiddlewareImpl", names.Take(first));
        Assert.Contains("EndpointRoutingMiddleware", names.Take(first));
        Assert.Contains("HostFilteringMiddleware", names.Take(first));
        Assert.Equal("EndpointMiddleware", names[^1]);
        Assert.Equal(Enumerable.Range(0, rows.Count), rows.Select(r => r.Index));

        // Sources: the middleware type and its assembly, or the method of an inline middleware.
        var sources = (await app.GetPanelAsync("/ok")).GetProperty("middleware").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("source").GetString());
        Assert.Equal($"{typeof(DelayThenNextMiddleware).FullName} (Toolbar.Tests)", sources["DelayThenNextMiddleware"]);
        Assert.Equal($"{typeof(InlineMiddleware).FullName}.PassThrough (Toolbar.Tests)", sources["InlineMiddleware.PassThrough"]);
        Assert.Equal("Microsoft.AspNetCore.Routing.EndpointMiddleware (Microsoft.AspNetCore.Routing)", sources["EndpointMiddleware"]);
    }

    [Fact]
    public async Task Inclusive_and_exclusive_times_agree_with_the_known_delays()
    {
        await using var app = await StartAppAsync();
        // The first request pays for JIT compilation everywhere; the next ones are measured.
        await app.GetPanelAsync("/ok");
        var own = app.App.Services.GetRequiredService<OwnMeasurements>();

        // The delay middleware's own time is its wait (as it measured it, at least 30 ms); the endpoint middleware's
        // inclusive time holds the endpoint's 40 ms wait. Small extra: the probes' and the framework's own work.
        // A busy machine can pause the thread between the app's clock reading and the probe's for tens of
        // milliseconds, so up to five requests are measured and one must fit: a miscount (the endpoint's wait counted
        // in the middleware's own time, say) would show in every one of them.
        // (The runtime's timers may fire a few milliseconds early, so the waits are checked with that slack.)
        var misses = new List<string>();
        JsonElement panel = default;
        List<(int Index, string Name, string Kind, int Calls, double Inclusive, double Exclusive, bool Short)> rows = [];
        for (var attempt = 0; attempt < 5; attempt++)
        {
            panel = await app.GetPanelAsync("/ok");
            rows = Rows(panel);
            var delay = rows.Single(r => r.Name == "DelayThenNextMiddleware");
            var endpoint = rows.Single(r => r.Name == "EndpointMiddleware");
            Assert.True(own.DelayMiddlewareMs >= DelayThenNextMiddleware.DelayMs - 5 && own.EndpointMs >= EndpointDelayMs - 5, $"waited {own.DelayMiddlewareMs} and {own.EndpointMs} ms");

            // Lower bounds hold on any machine: the probes' clock readings surround the app's own.
            Assert.True(delay.Exclusive >= own.DelayMiddlewareMs - 0.01, $"exclusive {delay.Exclusive} < own {own.DelayMiddlewareMs}");
            Assert.True(endpoint.Inclusive >= own.EndpointMs - 0.01, $"inclusive {endpoint.Inclusive} < own {own.EndpointMs}");
            Assert.True(delay.Inclusive >= delay.Exclusive + endpoint.Inclusive - 0.01, $"{delay.Inclusive} < {delay.Exclusive} + {endpoint.Inclusive}");
            if (delay.Exclusive <= own.DelayMiddlewareMs + 10 && endpoint.Inclusive <= own.EndpointMs + 10)
            {
                misses.Clear();
                break;
            }

            misses.Add($"delay middleware exclusive {delay.Exclusive} ms (own {own.DelayMiddlewareMs}), endpoint inclusive {endpoint.Inclusive} ms (own {own.EndpointMs})");
        }

        Assert.True(misses.Count == 0, string.Join("\n", misses));

        // Exclusive times add up to the outermost middleware's inclusive time (nothing counted twice or lost).
        Assert.Equal(rows[0].Inclusive, rows.Sum(r => r.Exclusive), 1);
        Assert.Equal(rows[0].Inclusive, panel.GetProperty("totalMs").GetDouble(), 3);
        Assert.All(rows, r => Assert.Equal(1, r.Calls));
        Assert.All(rows, r => Assert.False(r.Short));
        Assert.Equal(JsonValueKind.Null, panel.GetProperty("shortCircuitedAt").ValueKind);
    }

    [Fact]
    public async Task A_middleware_that_answers_without_calling_next_is_flagged_and_nothing_after_it_ran()
    {
        await using var app = await StartAppAsync();
        var panel = await app.GetPanelAsync("/short");
        var rows = Rows(panel);
        var answering = rows.Single(r => r.Name == "AnswerShortMiddleware");

        Assert.True(answering.Short);
        Assert.Equal(answering.Index, panel.GetProperty("shortCircuitedAt").GetInt32());
        Assert.Single(rows, r => r.Short);
        Assert.All(rows.Where(r => r.Index > answering.Index), r => Assert.Equal(0, r.Calls));
        Assert.All(rows.Where(r => r.Index <= answering.Index), r => Assert.Equal(1, r.Calls));
        Assert.False(panel.GetProperty("reachedEnd").GetBoolean());
    }

    [Theory]
    [InlineData("/throw-later")]
    [InlineData("/throw-now")]
    [InlineData("/cancel")]
    [InlineData("/cancel-thrown")]
    public async Task An_exception_passing_through_is_flagged_and_carries_no_frame_of_the_toolbar(string path)
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        Exception? thrown = null;
        Exception? caught = null;
        await using var app = await MiddlewareTestApp.StartAsync(a =>
        {
            a.UseDebugToolbar();
            a.Use(async (context, next) =>
            {
                try
                {
                    await next(context);
                }
                catch (Exception e)
                {
                    caught = e;
                    context.Response.StatusCode = 500;
                }
            });
            a.Use(InlineMiddleware.PassThrough);
            a.UseMiddleware<DelayThenNextMiddleware>();
            a.MapGet("/throw-later", async Task () =>
            {
                await Task.Yield();
                var error = new InvalidOperationException("thrown after an await");
                thrown = error;
                throw error;
            });
            a.MapGet("/throw-now", Task () =>
            {
                var error = new InvalidOperationException("thrown at once");
                thrown = error;
                throw error;
            });
            a.MapGet("/cancel", () => Task.FromCanceled(cancelled.Token));
            // As an HttpClient timeout: a cancellation with a message and an inner exception of its own.
            a.MapGet("/cancel-thrown", async Task () =>
            {
                await Task.Yield();
                var error = new OperationCanceledException("timed out", new TimeoutException("after 1 s"), cancelled.Token);
                thrown = error;
                throw error;
            });
        }, services => services.AddSingleton<OwnMeasurements>());

        using var response = await app.Client.GetAsync(path);
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var record = await app.Client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/requests/{id}");
        var panel = record.GetProperty("panels").GetProperty("middleware");

        // The app catches its own exception, the same object with its own stack: no probe of the toolbar in it, though
        // one stood in front of each middleware it passed through.
        Assert.NotNull(caught);
        var text = caught.ToString();
        Assert.DoesNotContain("Toolbar.Panels", text, StringComparison.Ordinal);
        Assert.DoesNotContain("MiddlewareProbe", text, StringComparison.Ordinal);
        if (path == "/cancel")
        {
            Assert.Equal(cancelled.Token, Assert.IsAssignableFrom<OperationCanceledException>(caught).CancellationToken);
        }
        else
        {
            Assert.Same(thrown, caught);
            Assert.Contains(nameof(An_exception_passing_through_is_flagged_and_carries_no_frame_of_the_toolbar), text, StringComparison.Ordinal);
        }

        // Nor in the exceptions panel's full stack of it.
        var exceptions = record.GetProperty("panels").GetProperty("exceptions").GetProperty("exceptions").EnumerateArray().ToList();
        Assert.NotEmpty(exceptions);
        Assert.All(exceptions, e => Assert.DoesNotContain(e.GetProperty("fullStack").EnumerateArray(), f => f.GetString()!.Contains("MiddlewareProbe", StringComparison.Ordinal)));

        // Flagged where it passed: the middleware between the catcher and the endpoint, not the catcher or those around it.
        var rows = Rows(panel);
        var catcher = rows.FindIndex(r => r.Name == "InlineMiddleware.PassThrough") - 1;
        Assert.True(catcher > 0);
        var threw = Rows2(panel);
        Assert.All(threw.Take(catcher + 1), r => Assert.False(r.Threw, r.Name));
        Assert.All(threw.Skip(catcher + 1), r => Assert.True(r.Threw, r.Name));
    }

    [Fact]
    public async Task A_middleware_that_returns_no_task_counts_as_a_throw_and_the_request_is_still_recorded()
    {
        await using var app = await MiddlewareTestApp.StartAsync(a =>
        {
            a.UseDebugToolbar();
            a.Use(InlineMiddleware.PassThrough);
            a.Use((HttpContext context, RequestDelegate next) => null!);
        });

        using var response = await app.Client.GetAsync("/");
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        var record = await app.Client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/requests/{response.Headers.GetValues("X-Toolbar-Id").Single()}");
        var rows = Rows2(record.GetProperty("panels").GetProperty("middleware"));
        var broken = rows.FindIndex(r => r.Name == "InlineMiddleware.PassThrough") + 1;
        Assert.True(rows[broken].Threw, rows[broken].Name);
        Assert.False(Rows(record.GetProperty("panels").GetProperty("middleware"))[broken].Short);
    }

    [Fact]
    public async Task The_developer_exception_page_shows_no_frame_of_the_toolbar()
    {
        await using var app = await MiddlewareTestApp.StartAsync(a =>
        {
            a.UseDebugToolbar();
            a.Use(InlineMiddleware.PassThrough);
            a.MapGet("/boom", async Task () =>
            {
                await Task.Yield();
                throw new InvalidOperationException("boom from the endpoint");
            });
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/boom");
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await app.Client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("boom from the endpoint", html, StringComparison.Ordinal);
        Assert.Contains(nameof(MiddlewarePanelTests), html, StringComparison.Ordinal);
        Assert.DoesNotContain("MiddlewareProbe", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_no_middleware_answers_reaches_the_end_of_the_pipeline()
    {
        await using var app = await MiddlewareTestApp.StartAsync(a =>
        {
            a.UseDebugToolbar();
            a.Use(InlineMiddleware.PassThrough);
        });
        var panel = await app.GetPanelAsync("/nothing-here");
        Assert.True(panel.GetProperty("reachedEnd").GetBoolean());
        Assert.Equal(JsonValueKind.Null, panel.GetProperty("shortCircuitedAt").ValueKind);
        Assert.All(Rows(panel), r => Assert.Equal(1, r.Calls));
    }

    [Fact]
    public async Task Outside_Development_the_pipeline_is_not_wrapped_at_all()
    {
        await using var app = await MiddlewareTestApp.StartAsync(
            a =>
            {
                a.UseDebugToolbar();
                a.Use(InlineMiddleware.PassThrough);
                a.MapGet("/ok", () => "ok");
            },
            environment: "Production",
            options: o => o.ShowToolbar = null);
        using var response = await app.Client.GetAsync("/ok");
        response.EnsureSuccessStatusCode();
        var pipeline = app.App.Services.GetRequiredService<MiddlewarePipeline>();
        Assert.False(pipeline.Instrumented);
        Assert.Empty(pipeline.Entries);
    }

    [Fact]
    public async Task A_disabled_toolbar_leaves_the_pipeline_not_wrapped_at_all()
    {
        await using var app = await MiddlewareTestApp.StartAsync(
            a =>
            {
                a.UseDebugToolbar();
                a.MapGet("/ok", () => "ok");
            },
            options: o => o.Enabled = false);
        (await app.Client.GetAsync("/ok")).EnsureSuccessStatusCode();
        var pipeline = app.App.Services.GetRequiredService<MiddlewarePipeline>();
        Assert.False(pipeline.Instrumented);
        Assert.Empty(pipeline.Entries);
    }

    [Fact]
    public async Task A_disabled_panel_leaves_the_pipeline_without_probes()
    {
        var seen = new List<Type?>();
        await using var app = await MiddlewareTestApp.StartAsync(
            a =>
            {
                a.UseDebugToolbar();
                a.Use((HttpContext context, RequestDelegate next) =>
                {
                    // With no probes, nothing ever puts a trace on the request.
                    seen.Add(context.Features.Get<MiddlewareTrace>()?.GetType());
                    return next(context);
                });
                a.MapGet("/ok", () => "ok");
            },
            options: o => o.DisabledPanels.Add("middleware"));
        using var response = await app.Client.GetAsync("/ok");
        response.EnsureSuccessStatusCode();
        Assert.False(app.App.Services.GetRequiredService<MiddlewarePipeline>().Instrumented);
        Assert.Equal([null], seen);
    }

    [Fact]
    public async Task An_untracked_request_gets_no_trace()
    {
        var seen = new List<bool>();
        await using var app = await MiddlewareTestApp.StartAsync(
            a =>
            {
                a.UseDebugToolbar();
                a.Use((HttpContext context, RequestDelegate next) =>
                {
                    seen.Add(context.Features.Get<MiddlewareTrace>() is not null);
                    return next(context);
                });
                a.MapGet("/ok", () => "ok");
            },
            options: o => o.ShowToolbar = c => c.Request.Query.ContainsKey("track"));
        (await app.Client.GetAsync("/ok")).EnsureSuccessStatusCode();
        (await app.Client.GetAsync("/ok?track=1")).EnsureSuccessStatusCode();
        Assert.True(app.App.Services.GetRequiredService<MiddlewarePipeline>().Instrumented);
        Assert.Equal([false, true], seen);
    }
}
