using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Panels.Timing;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Timing;

/// <summary>The browser's Navigation Timing figures posted back to the timing panel.</summary>
public class NavigationTimingTests
{
    [Fact]
    public async Task Navigation_timing_is_stored_with_the_record()
    {
        await using var app = await MiniApp.StartAsync(async ctx => await ctx.Response.WriteAsync("ok"));
        var (response, _) = await TimingPanelTests.GetAsync(app);
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();

        var post = await PostNavigationAsync(app, $"{{\"requestId\":\"{id}\",\"ttfbMs\":12.34,\"domContentLoadedMs\":80.5,\"loadMs\":120}}");

        Assert.Equal(HttpStatusCode.NoContent, post.StatusCode);
        var record = await app.Services.GetRequiredService<IToolbarStore>().GetAsync(id);
        var nav = record!.GetPanelData<TimingData>("timing")!.Navigation;
        Assert.NotNull(nav);
        Assert.Equal((12.3, 80.5, 120.0), (nav.TtfbMs!.Value, nav.DomContentLoadedMs!.Value, nav.LoadMs!.Value));
        var html = await app.Client.GetStringAsync($"/_toolbar/requests/{id}/panels/timing");
        Assert.Contains("data-timing-nav=\"present\"", html, StringComparison.Ordinal);
        Assert.Contains("80.5 ms", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"requestId\":\"RID\",\"ttfbMs\":-1}")]
    [InlineData("{\"requestId\":\"RID\",\"ttfbMs\":\"NaN\"}")]
    [InlineData("{\"requestId\":\"RID\",\"ttfbMs\":\"Infinity\"}")]
    [InlineData("{\"requestId\":\"RID\",\"ttfbMs\":600001}")]
    [InlineData("{\"requestId\":\"RID\",\"ttfbMs\":10,\"loadMs\":1e308}")]
    [InlineData("{\"requestId\":\"RID\"}")]
    [InlineData("{\"requestId\":\"../../x\",\"ttfbMs\":10}")]
    [InlineData("not json")]
    public async Task Navigation_timing_rejects_invalid_input(string body)
    {
        await using var app = await MiniApp.StartAsync(async ctx => await ctx.Response.WriteAsync("ok"));
        var (response, _) = await TimingPanelTests.GetAsync(app);
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();

        var post = await PostNavigationAsync(app, body.Replace("RID", id, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        var record = await app.Services.GetRequiredService<IToolbarStore>().GetAsync(id);
        Assert.Null(record!.GetPanelData<TimingData>("timing")!.Navigation);
    }

    [Fact]
    public async Task Navigation_timing_for_an_unknown_record_is_not_found()
    {
        await using var app = await MiniApp.StartAsync(async ctx => await ctx.Response.WriteAsync("ok"));

        var post = await PostNavigationAsync(app, $"{{\"requestId\":\"{new string('a', 32)}\",\"ttfbMs\":1}}");

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task Navigation_timing_needs_the_toolbar_request_header()
    {
        await using var app = await MiniApp.StartAsync(async ctx => await ctx.Response.WriteAsync("ok"));
        var (response, _) = await TimingPanelTests.GetAsync(app);
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();

        var post = await app.Client.PostAsync("/_toolbar/panels/timing/navigation",
            new StringContent($"{{\"requestId\":\"{id}\",\"ttfbMs\":1}}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
    }

    private static Task<HttpResponseMessage> PostNavigationAsync(MiniApp app, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/_toolbar/panels/timing/navigation")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Toolbar-Request", "1");
        return app.Client.SendAsync(request);
    }
}
