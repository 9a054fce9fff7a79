using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolbar.Internal;
using Toolbar.Panels.Cpu;
using Toolbar.Tests.Infrastructure;
using Toolbar.Tests.Plugins;

namespace Toolbar.Tests.Panels.Cpu;

/// <summary>A profile is bounded in time: a request that outlives it is sampled up to the limit and frees the profiler.</summary>
[Collection(SerialCollection.Name)]
public sealed class CpuProfileLimitTests
{
    private static CpuPanel CpuOf(MiniApp app) => (CpuPanel)app.Services.GetRequiredService<ToolbarRuntime>().ById["cpu"];

    private static async Task<JsonElement> CpuOfAsync(MiniApp app, HttpResponseMessage response)
    {
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var json = await app.Client.GetStringAsync($"/_toolbar/api/requests/{id}");
        return JsonDocument.Parse(json).RootElement.GetProperty("panels").GetProperty("cpu").Clone();
    }

    private static void Spin(TimeSpan time)
    {
        var until = Stopwatch.GetTimestamp() + (long)(time.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(1000);
        }
    }

    private static HttpRequestMessage Profiled(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Toolbar-Profile", "cpu");
        return request;
    }

    [Fact]
    public async Task The_limit_is_read_from_Toolbar_Cpu_MaxProfileSeconds()
    {
        await using var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("ok"), settings: new Dictionary<string, string?> { ["Toolbar:Cpu:MaxProfileSeconds"] = "2.5" });
        Assert.Equal(TimeSpan.FromSeconds(2.5), CpuOf(app).MaxProfileDuration);

        await using var defaults = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("ok"));
        Assert.Equal(TimeSpan.FromSeconds(30), CpuOf(defaults).MaxProfileDuration);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("NaN")]
    public async Task A_limit_that_is_not_positive_leaves_the_panel_out_and_logs_the_setting_while_the_app_runs(string value)
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await MiniApp.StartAsync(
            ctx => ctx.Response.WriteAsync("ok"),
            services: s => s.AddSingleton<ILoggerProvider>(logs),
            settings: new Dictionary<string, string?> { ["Toolbar:Cpu:MaxProfileSeconds"] = value });

        Assert.Equal("ok", await app.Client.GetStringAsync("/"));
        var runtime = app.Services.GetRequiredService<ToolbarRuntime>();
        Assert.False(runtime.ById.ContainsKey("cpu"));
        Assert.True(runtime.ById.ContainsKey("sql"));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message.Contains("Toolbar:Cpu:MaxProfileSeconds", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_request_longer_than_the_limit_is_sampled_up_to_it_and_the_next_request_is_profiled_meanwhile()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var longStarted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await MiniApp.StartAsync(
            async ctx =>
            {
                await Task.Yield();
                if (ctx.Request.Path == "/long")
                {
                    longStarted.SetResult(Stopwatch.GetTimestamp());
                    var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
                    while (!release.Task.IsCompleted && Stopwatch.GetTimestamp() < deadline)
                    {
                        Spin(TimeSpan.FromMilliseconds(10));
                    }
                }
                else
                {
                    Spin(TimeSpan.FromMilliseconds(100));
                }

                await ctx.Response.WriteAsync("done");
            },
            settings: new Dictionary<string, string?> { ["Toolbar:Cpu:MaxProfileSeconds"] = "0.4" });
        var profiler = CpuOf(app).Profiler;
        await app.Client.GetStringAsync("/warm-up");

        var longRequest = app.Client.SendAsync(Profiled("/long"));
        var started = await longStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The limit frees the profiler while the long request still runs (without it, the profile would hold the
        // profiler until the request ends; that /long was profiled at all is checked below).
        var freeBy = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (profiler.Busy && Stopwatch.GetTimestamp() < freeBy)
        {
            await Task.Delay(20);
        }

        Assert.False(profiler.Busy, "the profiler stayed busy past the limit");
        Assert.False(longRequest.IsCompleted);

        // Another request is profiled meanwhile, completely.
        using var next = await app.Client.SendAsync(Profiled("/next"));
        var nextCpu = await CpuOfAsync(app, next);
        Assert.True(nextCpu.GetProperty("profiled").GetBoolean(), nextCpu.ToString());
        Assert.False(nextCpu.GetProperty("stoppedEarly").GetBoolean());
        Assert.Equal(JsonValueKind.Null, nextCpu.GetProperty("refused").ValueKind);

        release.SetResult();
        using var response = await longRequest;
        var ranMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var cpu = await CpuOfAsync(app, response);
        Assert.True(cpu.GetProperty("profiled").GetBoolean(), cpu.ToString());
        Assert.True(cpu.GetProperty("stoppedEarly").GetBoolean(), cpu.ToString());
        // Sampled for the limit, not for the request's whole run (the next request's profile alone took longer).
        var sampledMs = cpu.GetProperty("durationMs").GetDouble();
        Assert.InRange(sampledMs, 380, ranMs - 100);
        Assert.True(cpu.GetProperty("sampleCount").GetInt32() > 0, cpu.ToString());
    }
}
