using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Panels.Timing;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Timing;

public class TimingPanelTests
{
    internal static async Task<(HttpResponseMessage Response, TimingData Data)> GetAsync(MiniApp app, string path = "/")
    {
        var response = await app.Client.GetAsync(path);
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var record = await app.Services.GetRequiredService<IToolbarStore>().GetAsync(id);
        var data = record!.GetPanelData<TimingData>("timing");
        Assert.NotNull(data);
        return (response, data);
    }

    private static TimingSpan Span(TimingData data, string name) => Assert.Single(data.Spans, s => s.Name == name);

    [Fact]
    public async Task Nested_steps_hang_under_their_parent_in_start_order()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            using (Profiler.Step("outer"))
            {
                using (Profiler.Step("first"))
                {
                    await Task.Yield();
                }

                using (Profiler.Step("second"))
                {
                    using (Profiler.Step("deep"))
                    {
                        await Task.Yield();
                    }
                }
            }

            using (Profiler.Step("after"))
            {
            }

            await ctx.Response.WriteAsync("ok");
        });

        var (_, data) = await GetAsync(app, "/nest");

        Assert.Equal(["GET /nest", "outer", "first", "second", "deep", "after"], data.Spans.Select(s => s.Name));
        Assert.Equal([null, 0, 1, 1, 3, 0], data.Spans.Select(s => s.ParentId));
        Assert.Equal([0, 1, 2, 2, 3, 1], data.Spans.Select(s => s.Depth));
        Assert.Equal([0, 1, 2, 3, 4, 5], data.Spans.Select(s => s.Id));
        Assert.All(data.Spans.Skip(1), s => Assert.Equal(Profiler.ActivitySourceName, s.Source));
        Assert.Equal("request", data.Spans[0].Source);
    }

    [Fact]
    public async Task Steps_in_two_concurrent_tasks_both_hang_under_the_step_that_started_them()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            using (Profiler.Step("parallel"))
            {
                // Both tasks are inside their steps at the same time, so the steps truly overlap.
                var bothStarted = new CountdownEvent(2);
                async Task Branch(string name)
                {
                    await Task.Yield();
                    using (Profiler.Step(name))
                    {
                        bothStarted.Signal();
                        await Task.Run(() => bothStarted.Wait(TimeSpan.FromSeconds(10)));
                    }
                }

                await Task.WhenAll(Task.Run(() => Branch("left")), Task.Run(() => Branch("right")));
            }

            await ctx.Response.WriteAsync("ok");
        });

        var (_, data) = await GetAsync(app);

        var parallel = Span(data, "parallel");
        Assert.Equal(parallel.Id, Span(data, "left").ParentId);
        Assert.Equal(parallel.Id, Span(data, "right").ParentId);
        Assert.Equal(4, data.Spans.Count);
    }

    [Fact]
    public async Task Spans_of_a_concurrent_request_never_appear_in_this_one()
    {
        var aInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            var who = ctx.Request.Query["who"].ToString();
            using (Profiler.Step("step-" + who))
            {
                // Each request waits inside its step until the other one is inside its own.
                (who == "a" ? aInside : bInside).SetResult();
                await (who == "a" ? bInside : aInside).Task.WaitAsync(TimeSpan.FromSeconds(10));
                using (Profiler.Step("child-" + who))
                {
                    await Task.Yield();
                }
            }

            await ctx.Response.WriteAsync(who);
        });

        var a = GetAsync(app, "/?who=a");
        var b = GetAsync(app, "/?who=b");
        var (_, dataA) = await a;
        var (_, dataB) = await b;

        Assert.Equal(["GET /", "step-a", "child-a"], dataA.Spans.Select(s => s.Name));
        Assert.Equal(["GET /", "step-b", "child-b"], dataB.Spans.Select(s => s.Name));
    }

    [Fact]
    public async Task Activities_of_any_source_are_recorded_under_the_current_step()
    {
        using var source = new ActivitySource("Toolbar.Tests.Library");
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            using (Profiler.Step("work"))
            {
                using var activity = source.StartActivity("library call");
                activity?.SetTag("db.query.text", "SELECT 1");
            }

            await ctx.Response.WriteAsync("ok");
        });

        var (_, data) = await GetAsync(app);

        var call = Span(data, "library call");
        Assert.Equal("Toolbar.Tests.Library", call.Source);
        Assert.Equal(Span(data, "work").Id, call.ParentId);
        Assert.Equal("SELECT 1", call.Detail);
    }

    [Fact]
    public async Task Untracked_request_makes_libraries_create_no_activity()
    {
        using var source = new ActivitySource("Toolbar.Tests.Untracked");
        await using var app = await MiniApp.StartAsync(
            async ctx =>
            {
                using var activity = source.StartActivity("library call");
                await ctx.Response.WriteAsync(activity is null ? "none" : "created");
            },
            o => o.ShowToolbar = _ => false);

        var response = await app.Client.GetAsync("/");

        Assert.False(response.Headers.Contains("X-Toolbar-Id"));
        Assert.Equal("none", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HttpClient_call_is_recorded_with_its_url()
    {
        // A port nobody listens on: the call fails fast without any network, but its activity still runs.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            using var client = new HttpClient();
            using (Profiler.Step("call"))
            {
                try
                {
                    await client.GetAsync($"http://127.0.0.1:{port}/api/products");
                }
                catch (HttpRequestException)
                {
                }
            }

            await ctx.Response.WriteAsync("ok");
        });

        var (_, data) = await GetAsync(app);

        var http = Assert.Single(data.Spans, s => s.Source == "System.Net.Http");
        Assert.Equal(Span(data, "call").Id, http.ParentId);
        Assert.Equal($"GET http://127.0.0.1:{port}/api/products", http.Name);
        Assert.True(http.Error);
    }

    [Fact]
    public async Task Step_still_running_at_request_end_is_marked_unfinished_and_closed_at_the_end()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            using (Profiler.Step("done"))
            {
            }

            // Started and never disposed, like a leaked step.
            _ = Profiler.Step("leaked");
            await ctx.Response.WriteAsync("ok");
        });

        var (_, data) = await GetAsync(app);

        var leaked = Span(data, "leaked");
        Assert.True(leaked.Unfinished);
        Assert.Equal(data.DurationMs, Math.Round(leaked.StartMs + leaked.DurationMs, 3), 3);
        Assert.False(Span(data, "done").Unfinished);
    }

    [Fact]
    public async Task Children_lie_within_their_parent_even_when_they_outlive_it()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task? orphan = null;
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            using (Profiler.Step("parent"))
            {
                // Fire-and-forget work whose step ends after its parent (and after the request).
                orphan = Task.Run(async () =>
                {
                    using (Profiler.Step("outlives"))
                    {
                        started.SetResult();
                        await release.Task;
                    }
                });
                await started.Task;
                await Task.Delay(5);
            }

            await ctx.Response.WriteAsync("ok");
        });

        var (_, data) = await GetAsync(app);
        release.SetResult();
        await orphan!;

        foreach (var span in data.Spans.Where(s => s.ParentId is not null))
        {
            var parent = data.Spans[span.ParentId!.Value];
            Assert.InRange(span.StartMs, parent.StartMs, parent.StartMs + parent.DurationMs);
            Assert.InRange(span.StartMs + span.DurationMs, span.StartMs, parent.StartMs + parent.DurationMs + 0.001);
        }

        var outlives = Span(data, "outlives");
        Assert.Equal(Span(data, "parent").Id, outlives.ParentId);
        Assert.True(outlives.Unfinished);
    }

    [Fact]
    public async Task Server_timing_has_one_entry_per_top_level_step()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            using (Profiler.Step("load products"))
            {
                using (Profiler.Step("nested is not listed"))
                {
                }
            }

            using (Profiler.Step("render"))
            {
            }

            await ctx.Response.WriteAsync("ok");
        });

        var (response, _) = await GetAsync(app);

        var header = string.Join(", ", response.Headers.GetValues("Server-Timing"));
        var names = header.Split(", ").Select(e => e.Split(';')[0]).ToArray();
        Assert.Equal(["total", "load_products", "render"], names);
        Assert.Contains("load_products;dur=", header, StringComparison.Ordinal);
        Assert.Contains("desc=\"load products\"", header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_api_has_the_contract_fields()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            using (Profiler.Step("outer"))
            {
                using (Profiler.Step("inner"))
                {
                    await Task.Yield();
                }
            }

            await ctx.Response.WriteAsync("ok");
        });
        var response = await app.Client.GetAsync("/json");
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();

        using var json = JsonDocument.Parse(await app.Client.GetStringAsync($"/_toolbar/api/requests/{id}"));

        var timing = json.RootElement.GetProperty("panels").GetProperty("timing");
        Assert.True(timing.GetProperty("durationMs").GetDouble() > 0);
        var spans = timing.GetProperty("spans").EnumerateArray().ToArray();
        Assert.Equal(["GET /json", "outer", "inner"], spans.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, spans[0].GetProperty("parentId").ValueKind);
        Assert.Equal(spans[1].GetProperty("id").GetInt32(), spans[2].GetProperty("parentId").GetInt32());
        Assert.Equal("Toolbar", spans[2].GetProperty("source").GetString());
        Assert.All(spans, s => Assert.True(s.GetProperty("startMs").GetDouble() >= 0 && s.GetProperty("durationMs").GetDouble() >= 0));
    }

    [Fact]
    public async Task Records_response_start_endpoint_and_total_duration()
    {
        await using var app = await MiniApp.StartAsync(async ctx => await ctx.Response.WriteAsync("ok"));

        var (_, data) = await GetAsync(app);

        Assert.NotNull(data.ResponseStartedMs);
        Assert.InRange(data.ResponseStartedMs!.Value, 0, data.DurationMs);
        Assert.Equal(data.DurationMs, data.Spans[0].DurationMs);
        Assert.Single(data.Spans);
        Assert.Null(data.SlowestSpanId);
    }

    [Fact]
    public void Nav_subtitle_is_total_milliseconds_with_one_decimal()
    {
        var panel = new TimingPanel();
        Assert.Equal("123.4 ms", panel.GetNavSubtitle(new TimingData { DurationMs = 123.44 }));
        Assert.Equal("7.0 ms", panel.GetNavSubtitle(new TimingData { DurationMs = 7 }));
    }

    [Fact]
    public async Task Panel_html_shows_the_waterfall_rows_with_bars()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            using (Profiler.Step("outer <b>"))
            {
                using (Profiler.Step("inner"))
                {
                    await Task.Yield();
                }
            }

            await ctx.Response.WriteAsync("ok");
        });
        var response = await app.Client.GetAsync("/");
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();

        var html = await app.Client.GetStringAsync($"/_toolbar/requests/{id}/panels/timing");

        Assert.Equal(3, CountOf(html, "data-tb-row"));
        Assert.Contains("outer &lt;b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("data-tb-indent=\"2\"", html, StringComparison.Ordinal);
        Assert.Equal(3, CountOf(html, "data-tb-width="));
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
