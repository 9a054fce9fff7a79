using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Toolbar.Panels.Cpu;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Cpu;

/// <summary>The CPU panel on a small app: triggers, attribution to one request, refusal, arming, export.</summary>
[Collection(SerialCollection.Name)]
public sealed class CpuPanelTests
{
    private static readonly TimeSpan s_burn = TimeSpan.FromMilliseconds(250);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long BurnInProfiledRequest(TimeSpan time) => Burn(time);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long BurnInOtherRequest(TimeSpan time) => Burn(time);

    // Inlined into each caller on purpose is not guaranteed, so the callers are what the tests look for (total samples).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Burn(TimeSpan time)
    {
        var until = Stopwatch.GetTimestamp() + (long)(time.TotalSeconds * Stopwatch.Frequency);
        var x = 1L;
        while (Stopwatch.GetTimestamp() < until)
        {
            for (var i = 0; i < 10_000; i++)
            {
                x = (x * 31) + i;
            }
        }

        return x;
    }

    private static Task<MiniApp> StartAsync(RequestDelegate handler, CpuPanel? panel = null) =>
        MiniApp.StartAsync(handler, services: s =>
        {
            if (panel is not null)
            {
                // The toolbar takes a panel from DI when it is registered there.
                s.AddSingleton(panel);
            }
        });

    private static async Task<(HttpResponseMessage Response, JsonElement Cpu)> GetAsync(MiniApp app, string url, bool profile)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (profile)
        {
            request.Headers.Add("X-Toolbar-Profile", "cpu");
        }

        var response = await app.Client.SendAsync(request);
        return (response, await CpuOfAsync(app, response));
    }

    private static async Task<JsonElement> CpuOfAsync(MiniApp app, HttpResponseMessage response)
    {
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var record = JsonDocument.Parse(await app.Client.GetStringAsync($"/_toolbar/api/requests/{id}")).RootElement;
        var cpu = record.GetProperty("panels").GetProperty("cpu");
        Assert.True(cpu.ValueKind == JsonValueKind.Object, record.ToString());
        return cpu.Clone();
    }

    private static IEnumerable<JsonElement> Functions(JsonElement cpu) => cpu.GetProperty("functions").EnumerateArray();

    private static JsonElement Function(JsonElement cpu, string method) =>
        Functions(cpu).Single(f => f.GetProperty("name").GetString()!.Contains(method, StringComparison.Ordinal));

    [Fact]
    public async Task A_request_with_the_header_is_profiled_and_its_burning_method_holds_most_samples()
    {
        await using var app = await StartAsync(async ctx =>
        {
            await Task.Yield();
            BurnInProfiledRequest(s_burn);
            await ctx.Response.WriteAsync("done");
        });

        // Warm up: the first request compiles the app and the toolbar (native JIT time is not the request's own work).
        await GetAsync(app, "/", profile: false);

        var (_, cpu) = await GetAsync(app, "/", profile: true);

        Assert.True(cpu.GetProperty("profiled").GetBoolean());
        Assert.Equal("header", cpu.GetProperty("trigger").GetString());
        var samples = cpu.GetProperty("sampleCount").GetInt32();
        Assert.True(samples > 0);
        var burning = Function(cpu, nameof(BurnInProfiledRequest));
        Assert.True(burning.GetProperty("totalSamples").GetInt32() >= 0.6 * samples, cpu.ToString());
        Assert.Equal("Toolbar.Tests", burning.GetProperty("module").GetString());
    }

    [Fact]
    public async Task A_request_without_a_trigger_is_not_profiled_and_starts_no_session()
    {
        var panel = new CpuPanel(new AppCode(Options.Create(new ToolbarOptions())));
        var busyDuringRequest = true;
        await using var app = await StartAsync(async ctx =>
        {
            busyDuringRequest = panel.Profiler.Busy;
            await ctx.Response.WriteAsync("plain");
        }, panel);

        var (_, cpu) = await GetAsync(app, "/?x=1", profile: false);

        Assert.False(busyDuringRequest);
        Assert.False(cpu.GetProperty("profiled").GetBoolean());
        Assert.Equal(0, cpu.GetProperty("sampleCount").GetInt32());
        Assert.Empty(cpu.GetProperty("functions").EnumerateArray());
    }

    [Fact]
    public async Task A_concurrent_unprofiled_request_never_mixes_into_the_profile()
    {
        var profiledRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var otherRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long profiledStart = 0, profiledEnd = 0, otherStart = 0, otherEnd = 0;
        await using var app = await StartAsync(async ctx =>
        {
            await Task.Yield();
            if (ctx.Request.Path == "/profiled")
            {
                profiledStart = Stopwatch.GetTimestamp();
                profiledRunning.SetResult();
                // Burns until the other request burns too (a loaded machine may start it late), then a while longer.
                var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
                while (!otherRunning.Task.IsCompleted && Stopwatch.GetTimestamp() < deadline)
                {
                    BurnInProfiledRequest(TimeSpan.FromMilliseconds(20));
                }

                BurnInProfiledRequest(s_burn);
                profiledEnd = Stopwatch.GetTimestamp();
            }
            else
            {
                otherStart = Stopwatch.GetTimestamp();
                otherRunning.SetResult();
                BurnInOtherRequest(s_burn);
                otherEnd = Stopwatch.GetTimestamp();
            }

            await ctx.Response.WriteAsync("done");
        });

        var profiled = Task.Run(() => GetAsync(app, "/profiled", profile: true));
        await profiledRunning.Task;
        var other = Task.Run(() => GetAsync(app, "/other", profile: false));
        var (_, cpu) = await profiled;
        await other;

        // The two burns really overlapped in time.
        Assert.True(otherStart < profiledEnd && profiledStart < otherEnd, "the requests did not overlap");
        Assert.True(Function(cpu, nameof(BurnInProfiledRequest)).GetProperty("totalSamples").GetInt32() > 0);
        Assert.DoesNotContain(Functions(cpu), f => f.GetProperty("name").GetString()!.Contains(nameof(BurnInOtherRequest), StringComparison.Ordinal));
        // The other request's thread was sampled too (the process count holds it), only not attributed.
        Assert.True(cpu.GetProperty("processSampleCount").GetInt32() > cpu.GetProperty("sampleCount").GetInt32());
    }

    [Fact]
    public async Task The_query_parameter_profiles_and_is_removed_before_the_app_sees_the_query()
    {
        await using var app = await StartAsync(async ctx =>
            await ctx.Response.WriteAsync(ctx.Request.QueryString.Value + "|" + string.Join(",", ctx.Request.Query.Keys)));

        using var response = await app.Client.GetAsync("/?a=1&_toolbar_profile=cpu&b=x%20y");
        var seen = await response.Content.ReadAsStringAsync();
        var cpu = await CpuOfAsync(app, response);

        Assert.Equal("?a=1&b=x%20y|a,b", seen);
        Assert.True(cpu.GetProperty("profiled").GetBoolean());
        Assert.Equal("query", cpu.GetProperty("trigger").GetString());
    }

    [Theory]
    [InlineData("cross-site", false)]
    [InlineData("same-site", false)]
    [InlineData("same-origin", true)]
    [InlineData("none", true)]
    public async Task Another_sites_page_cannot_ask_for_a_profile_with_the_query_parameter(string fetchSite, bool profiled)
    {
        await using var app = await StartAsync(async ctx => await ctx.Response.WriteAsync(ctx.Request.QueryString.Value ?? ""));

        // What an <img src="http://localhost:5080/?_toolbar_profile=cpu"> on another site makes the browser send.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/?a=1&_toolbar_profile=cpu");
        request.Headers.Add("Sec-Fetch-Site", fetchSite);
        using var response = await app.Client.SendAsync(request);
        var cpu = await CpuOfAsync(app, response);

        Assert.Equal("?a=1", await response.Content.ReadAsStringAsync());
        Assert.Equal(profiled, cpu.GetProperty("profiled").GetBoolean());
    }

    [Fact]
    public async Task A_second_profile_while_one_runs_is_refused_with_a_clear_message()
    {
        var panel = new CpuPanel(new AppCode(Options.Create(new ToolbarOptions())));
        panel.Profiler.QueueTimeout = TimeSpan.Zero;
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await StartAsync(async ctx =>
        {
            if (ctx.Request.Path == "/hold")
            {
                holding.SetResult();
                await release.Task;
            }

            await ctx.Response.WriteAsync("done");
        }, panel);

        var first = Task.Run(() => GetAsync(app, "/hold", profile: true));
        await holding.Task;
        var (_, refused) = await GetAsync(app, "/second", profile: true);
        release.SetResult();
        var (_, profiled) = await first;

        Assert.False(refused.GetProperty("profiled").GetBoolean());
        Assert.Contains("another request was being profiled", refused.GetProperty("refused").GetString(), StringComparison.Ordinal);
        Assert.True(profiled.GetProperty("profiled").GetBoolean());
        var html = await app.Client.GetStringAsync($"/_toolbar/requests/{(await app.Client.GetFromJsonAsync<JsonElement[]>("/_toolbar/api/requests"))![1].GetProperty("id").GetString()}/panels/cpu");
        Assert.Contains("another request was being profiled", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_profile_while_one_runs_waits_for_its_turn()
    {
        // The first profile's slot is freed once its session stopped, which (a rundown of the whole test process) can
        // take seconds on a busy machine: the wait allowed here is generous, the order is what is checked.
        var panel = new CpuPanel(new AppCode(Options.Create(new ToolbarOptions())));
        panel.Profiler.QueueTimeout = TimeSpan.FromSeconds(60);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await StartAsync(async ctx =>
        {
            if (ctx.Request.Path == "/hold")
            {
                holding.SetResult();
                await Task.Delay(300);
            }

            await ctx.Response.WriteAsync("done");
        }, panel);

        var first = Task.Run(() => GetAsync(app, "/hold", profile: true));
        await holding.Task;
        var (_, second) = await GetAsync(app, "/second", profile: true);
        var (_, profiled) = await first;

        Assert.True(profiled.GetProperty("profiled").GetBoolean());
        Assert.True(second.GetProperty("profiled").GetBoolean(), second.ToString());
    }

    [Fact]
    public async Task An_armed_url_profiles_its_next_request_only()
    {
        await using var app = await StartAsync(async ctx => await ctx.Response.WriteAsync("ok"));
        using var arm = new HttpRequestMessage(HttpMethod.Post, "/_toolbar/panels/cpu/arm") { Content = JsonContent.Create(new { url = "/page?x=1" }) };
        arm.Headers.Add("X-Toolbar-Request", "1");
        using var armed = await app.Client.SendAsync(arm);
        armed.EnsureSuccessStatusCode();

        var (_, otherUrl) = await GetAsync(app, "/page?x=2", profile: false);
        var (_, next) = await GetAsync(app, "/page?x=1", profile: false);
        var (_, after) = await GetAsync(app, "/page?x=1", profile: false);

        Assert.False(otherUrl.GetProperty("profiled").GetBoolean());
        Assert.True(next.GetProperty("profiled").GetBoolean());
        Assert.Equal("armed", next.GetProperty("trigger").GetString());
        Assert.False(after.GetProperty("profiled").GetBoolean());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"url\":\"https://elsewhere/\"}")]
    [InlineData("{\"url\":\"//elsewhere/\"}")]
    public async Task Arming_a_bad_url_is_a_400_problem(string body)
    {
        await using var app = await StartAsync(async ctx => await ctx.Response.WriteAsync("ok"));
        using var arm = new HttpRequestMessage(HttpMethod.Post, "/_toolbar/panels/cpu/arm") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        arm.Headers.Add("X-Toolbar-Request", "1");

        using var response = await app.Client.SendAsync(arm);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Arming_needs_the_toolbar_request_header()
    {
        await using var app = await StartAsync(async ctx => await ctx.Response.WriteAsync("ok"));

        using var response = await app.Client.PostAsync("/_toolbar/panels/cpu/arm", JsonContent.Create(new { url = "/" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (_, cpu) = await GetAsync(app, "/", profile: false);
        Assert.False(cpu.GetProperty("profiled").GetBoolean());
    }

    [Fact]
    public async Task The_speedscope_export_has_every_field_the_schema_requires_and_the_same_samples()
    {
        await using var app = await StartAsync(async ctx =>
        {
            await Task.Yield();
            BurnInProfiledRequest(s_burn);
            await ctx.Response.WriteAsync("done");
        });
        var (response, cpu) = await GetAsync(app, "/", profile: true);
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();

        using var export = await app.Client.GetAsync($"/_toolbar/requests/{id}/cpu.speedscope.json");
        export.EnsureSuccessStatusCode();
        var file = JsonDocument.Parse(await export.Content.ReadAsStringAsync()).RootElement;

        // Required by https://www.speedscope.app/file-format-schema.json: File {$schema, shared{frames}, profiles},
        // Frame {name}, SampledProfile {type, name, unit, startValue, endValue, samples, weights}.
        Assert.Equal("https://www.speedscope.app/file-format-schema.json", file.GetProperty("$schema").GetString());
        var frames = file.GetProperty("shared").GetProperty("frames").EnumerateArray().ToList();
        Assert.All(frames, f => Assert.False(string.IsNullOrEmpty(f.GetProperty("name").GetString())));
        var profile = Assert.Single(file.GetProperty("profiles").EnumerateArray());
        Assert.Equal("sampled", profile.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.String, profile.GetProperty("name").ValueKind);
        Assert.Equal("milliseconds", profile.GetProperty("unit").GetString());
        var start = profile.GetProperty("startValue").GetDouble();
        var end = profile.GetProperty("endValue").GetDouble();
        var samples = profile.GetProperty("samples").EnumerateArray().ToList();
        var weights = profile.GetProperty("weights").EnumerateArray().Select(w => w.GetDouble()).ToList();
        Assert.Equal(samples.Count, weights.Count);
        Assert.All(samples, s => Assert.All(s.EnumerateArray(), i => Assert.InRange(i.GetInt32(), 0, frames.Count - 1)));
        // The same samples as the panel: every one weighted by the measured interval.
        var expected = cpu.GetProperty("sampleCount").GetInt32() * cpu.GetProperty("intervalMs").GetDouble();
        Assert.Equal(expected, weights.Sum(), 3);
        Assert.Equal(expected, end - start, 3);
        Assert.Contains(frames, f => f.GetProperty("name").GetString()!.Contains(nameof(BurnInProfiledRequest), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_speedscope_export_of_an_unprofiled_or_unknown_request_is_a_404_problem()
    {
        await using var app = await StartAsync(async ctx => await ctx.Response.WriteAsync("ok"));
        var (response, _) = await GetAsync(app, "/", profile: false);
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();

        using var unprofiled = await app.Client.GetAsync($"/_toolbar/requests/{id}/cpu.speedscope.json");
        using var unknown = await app.Client.GetAsync($"/_toolbar/requests/{new string('0', 32)}/cpu.speedscope.json");

        Assert.Equal(HttpStatusCode.NotFound, unprofiled.StatusCode);
        Assert.Equal("application/problem+json", unprofiled.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task The_speedscope_export_answers_404_to_a_client_the_toolbar_does_not_allow()
    {
        await using var app = await MiniApp.StartAsync(async ctx => await ctx.Response.WriteAsync("ok"), remoteAddress: IPAddress.Parse("203.0.113.9"));

        using var response = await app.Client.GetAsync($"/_toolbar/requests/{new string('0', 32)}/cpu.speedscope.json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
