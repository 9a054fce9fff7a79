using System.Net;
using Microsoft.AspNetCore.Http;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

public class AccessTests
{
    private const string Page = "<html><body>page</body></html>";

    private static Task<MiniApp> StartAsync(string environment = "Development", IPAddress? remote = null, Action<ToolbarOptions>? configure = null) =>
        MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync(Page);
        }, configure, environment, remote);

    private static async Task AssertInvisibleAsync(MiniApp app, HttpRequestMessage? request = null)
    {
        var response = await app.Client.SendAsync(request ?? new HttpRequestMessage(HttpMethod.Get, "/"));
        Assert.Equal(Page, await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("X-Toolbar-Id"));
        Assert.False(response.Headers.Contains("Server-Timing"));
        foreach (var url in new[] { "/_toolbar/api/requests", "/_toolbar/assets/toolbar.js", "/_toolbar/assets/toolbar.css", "/_toolbar/requests/0123/panels/request", "/_toolbar/anything" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync(url)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.PostAsync("/_toolbar/api/requests/clear", null)).StatusCode);
    }

    [Fact]
    public async Task Production_gets_no_injection_no_headers_and_404()
    {
        await using var app = await StartAsync("Production");
        await AssertInvisibleAsync(app);
    }

    [Fact]
    public async Task Non_loopback_client_gets_no_injection_no_headers_and_404()
    {
        await using var app = await StartAsync(remote: IPAddress.Parse("10.1.2.3"));
        await AssertInvisibleAsync(app);
    }

    [Fact]
    public async Task Forwarded_for_loopback_does_not_grant_access()
    {
        await using var app = await StartAsync(remote: IPAddress.Parse("203.0.113.9"));
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-For", "127.0.0.1");
        await AssertInvisibleAsync(app, request);
        var toolbar = new HttpRequestMessage(HttpMethod.Get, "/_toolbar/api/requests");
        toolbar.Headers.Add("X-Forwarded-For", "127.0.0.1");
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.SendAsync(toolbar)).StatusCode);
    }

    [Fact]
    public async Task IPv6_loopback_and_mapped_loopback_are_allowed()
    {
        await using var v6 = await StartAsync(remote: IPAddress.IPv6Loopback);
        Assert.True((await v6.Client.GetAsync("/")).Headers.Contains("X-Toolbar-Id"));
        await using var mapped = await StartAsync(remote: IPAddress.Loopback.MapToIPv6());
        Assert.True((await mapped.Client.GetAsync("/")).Headers.Contains("X-Toolbar-Id"));
    }

    [Fact]
    public async Task Disabled_toolbar_is_invisible_even_in_development()
    {
        await using var app = await StartAsync(configure: o => o.Enabled = false);
        var response = await app.Client.GetAsync("/");
        Assert.Equal(Page, await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("X-Toolbar-Id"));
        // Switched off, the toolbar maps nothing: its URLs belong to the app (here a catch-all page).
        Assert.Equal(Page, await app.Client.GetStringAsync("/_toolbar/assets/toolbar.js"));
        Assert.Equal(Page, await app.Client.GetStringAsync("/_toolbar/api/requests"));
    }

    [Fact]
    public async Task ShowToolbar_predicate_replaces_the_default_policy()
    {
        await using var denied = await StartAsync(configure: o => o.ShowToolbar = _ => false);
        await AssertInvisibleAsync(denied);

        await using var allowed = await StartAsync("Production", IPAddress.Parse("10.1.2.3"), o => o.ShowToolbar = ctx => ctx.Request.Headers["X-Dev"] == "yes");
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Dev", "yes");
        var response = await allowed.Client.SendAsync(request);
        Assert.Contains("toolbar-root", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await allowed.Client.GetAsync("/_toolbar/api/requests")).StatusCode);
    }

    [Fact]
    public async Task Throwing_predicate_hides_the_toolbar_and_serves_the_page()
    {
        await using var app = await StartAsync(configure: o => o.ShowToolbar = _ => throw new InvalidOperationException("bad predicate"));
        await AssertInvisibleAsync(app);
    }

    [Fact]
    public async Task State_changing_endpoints_require_the_toolbar_header()
    {
        await using var app = await StartAsync();
        await app.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.PostAsync("/_toolbar/api/requests/clear", null)).StatusCode);
        Assert.NotEqual("[]", await app.Client.GetStringAsync("/_toolbar/api/requests"));

        var request = new HttpRequestMessage(HttpMethod.Post, "/_toolbar/api/requests/clear");
        request.Headers.Add("X-Toolbar-Request", "1");
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.SendAsync(request)).StatusCode);
        Assert.Equal("[]", await app.Client.GetStringAsync("/_toolbar/api/requests"));
    }

    [Fact]
    public async Task Toolbar_urls_are_not_tracked_themselves()
    {
        await using var app = await StartAsync();
        var response = await app.Client.GetAsync("/_toolbar/assets/toolbar.js");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Toolbar-Id"));
        Assert.Equal("[]", await app.Client.GetStringAsync("/_toolbar/api/requests"));
    }

    [Fact]
    public async Task Request_ids_are_random_128_bit_hex()
    {
        await using var app = await StartAsync();
        var ids = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var response = await app.Client.GetAsync("/");
            ids.Add(response.Headers.GetValues("X-Toolbar-Id").Single());
        }

        Assert.Equal(20, ids.Count);
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
    }
}
