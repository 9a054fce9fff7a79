using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolbar.Testing;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Plugins;

/// <summary>A third-party panel that throws must cost only itself: the page and the other panels keep working.</summary>
public class BrokenPanelTests
{
    private const string Page = "<html><body><p>ok</p></body></html>";

    private static Task<MiniApp> StartAsync(BrokenAt at, CapturingLoggerProvider? logs = null) =>
        MiniApp.StartAsync(
            async ctx =>
            {
                ctx.Response.ContentType = "text/html; charset=utf-8";
                await ctx.Response.WriteAsync(Page);
            },
            o => o.Panels.Add<BrokenPanel>(),
            services: s =>
            {
                s.AddSingleton(new BrokenPanelSettings(at));
                if (logs is not null)
                {
                    s.AddSingleton<ILoggerProvider>(logs);
                }
            });

    private static async Task<JsonElement> NavAsync(MiniApp app, string id) =>
        JsonDocument.Parse(await app.Client.GetStringAsync($"/_toolbar/api/requests/{id}/toolbar")).RootElement.Clone();

    private static JsonElement NavEntry(JsonElement nav, string panelId) =>
        nav.GetProperty("panels").EnumerateArray().Single(p => p.GetProperty("id").GetString() == panelId);

    [Theory]
    [InlineData(BrokenAt.OnRequestStarted)]
    [InlineData(BrokenAt.OnResponseStarting)]
    [InlineData(BrokenAt.OnRequestFinished)]
    public async Task Hook_failure_keeps_the_page_and_is_recorded_for_that_panel_only(BrokenAt at)
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await StartAsync(at, logs);
        using var response = await app.Client.GetAsync("/");
        var body = await response.Content.ReadAsStringAsync();
        var record = await app.Client.GetToolbarRecordAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("<html><body><p>ok</p><div id=\"toolbar-root\"", body, StringComparison.Ordinal);
        Assert.Equal($"{at}: InvalidOperationException: broken in {at}", record.GetProperty("panelErrors").GetProperty("broken").GetString());
        Assert.False(record.GetProperty("panelErrors").TryGetProperty("request", out _));
        Assert.Equal("/", record.GetProperty("panels").GetProperty("request").GetProperty("path").GetString());
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("panel 'broken' failed in " + at, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hook_failure_is_shown_as_an_error_box_inside_the_panel()
    {
        await using var app = await StartAsync(BrokenAt.OnRequestStarted);
        using var response = await app.Client.GetAsync("/");

        var html = await app.Client.GetPanelHtmlAsync(response, "broken");

        Assert.StartsWith(
            "<div class=\"tb-error\" role=\"alert\">This panel failed while collecting: OnRequestStarted: InvalidOperationException: broken in OnRequestStarted</div>",
            html, StringComparison.Ordinal);
        var nav = await NavAsync(app, response.GetToolbarId());
        Assert.Equal("error", NavEntry(nav, "broken").GetProperty("status").GetString());
        Assert.Equal("normal", NavEntry(nav, "request").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Nav_subtitle_failure_marks_only_that_panel_as_failed()
    {
        await using var app = await StartAsync(BrokenAt.NavSubtitle);
        using var response = await app.Client.GetAsync("/");

        var nav = await NavAsync(app, response.GetToolbarId());

        Assert.Equal("error", NavEntry(nav, "broken").GetProperty("status").GetString());
        Assert.Equal("error: InvalidOperationException", NavEntry(nav, "broken").GetProperty("subtitle").GetString());
        Assert.Equal("GET 200", NavEntry(nav, "request").GetProperty("subtitle").GetString());
    }

    [Fact]
    public async Task Render_failure_shows_an_error_box_and_other_panels_still_render()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await StartAsync(BrokenAt.Render, logs);
        using var response = await app.Client.GetAsync("/");

        var broken = await app.Client.GetPanelHtmlAsync(response, "broken");
        var request = await app.Client.GetPanelHtmlAsync(response, "request");

        Assert.Equal("<div class=\"tb-error\" role=\"alert\">This panel failed to render: InvalidOperationException: broken in render</div>", broken);
        Assert.Contains("<h3>Request</h3>", request, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("panel 'broken' failed in render", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Data_that_cannot_be_serialized_leaves_the_json_api_working()
    {
        await using var app = await StartAsync(BrokenAt.Serialize);
        using var response = await app.Client.GetAsync("/");

        var record = await app.Client.GetToolbarRecordAsync(response);

        Assert.Equal(JsonValueKind.Null, record.GetProperty("panels").GetProperty("broken").ValueKind);
        Assert.Equal("serialize: InvalidOperationException: broken in serialize", record.GetProperty("panelErrors").GetProperty("broken").GetString());
        Assert.Equal("/", record.GetProperty("panels").GetProperty("request").GetProperty("path").GetString());
    }

    [Fact]
    public async Task Endpoint_failure_answers_a_500_json_error_naming_the_panel()
    {
        await using var app = await StartAsync(BrokenAt.Nowhere);

        using var answer = await app.Client.GetAsync("/_toolbar/panels/broken/boom");
        var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        using var page = await app.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Panel 'broken' failed: InvalidOperationException: broken in endpoint", json.GetProperty("error").GetString());
        Assert.Equal("broken", json.GetProperty("panel").GetString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Plain_request_delegate_endpoint_failure_answers_a_500_json_error()
    {
        await using var app = await StartAsync(BrokenAt.Nowhere);

        using var answer = await app.Client.GetAsync("/_toolbar/panels/broken/raw");
        var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
        Assert.Equal("Panel 'broken' failed: InvalidOperationException: broken in raw endpoint", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Plain_request_delegate_endpoint_still_requires_the_toolbar_header_for_post()
    {
        await using var app = await StartAsync(BrokenAt.Nowhere);

        using var answer = await app.Client.PostAsync("/_toolbar/panels/broken/raw", null);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
    }

    [Fact]
    public async Task Panel_endpoints_are_404_for_clients_not_allowed()
    {
        await using var app = await MiniApp.StartAsync(
            ctx => Task.CompletedTask,
            o => o.Panels.Add<BrokenPanel>(),
            remoteAddress: IPAddress.Parse("203.0.113.9"),
            services: s => s.AddSingleton(new BrokenPanelSettings(BrokenAt.Nowhere)));

        using var answer = await app.Client.GetAsync("/_toolbar/panels/broken/raw");

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    [Fact]
    public async Task Constructor_failure_leaves_the_panel_out_and_the_app_starts()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await StartAsync(BrokenAt.Constructor, logs);
        using var response = await app.Client.GetAsync("/");

        var nav = await NavAsync(app, response.GetToolbarId());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = nav.GetProperty("panels").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.Contains("request", ids);
        Assert.DoesNotContain("broken", ids);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error
            && e.Message.Contains($"panel {typeof(BrokenPanel).FullName} could not be created", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MapEndpoints_failure_keeps_the_app_and_the_panel_running()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await StartAsync(BrokenAt.MapEndpoints, logs);
        using var response = await app.Client.GetAsync("/");

        var record = await app.Client.GetToolbarRecordAsync(response);

        Assert.Equal("fine", record.GetProperty("panels").GetProperty("broken").GetProperty("payload").GetString());
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("panel 'broken' failed in MapEndpoints", StringComparison.Ordinal));
    }
}
