using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Panels.Request;
using Toolbar.Testing;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Plugins;

/// <summary>The test helpers panel authors get from the library.</summary>
public class ToolbarHttpClientExtensionsTests
{
    private static RequestDelegate Html => async ctx =>
    {
        ctx.Response.ContentType = "text/html";
        await ctx.Response.WriteAsync("<html><body>hi</body></html>");
    };

    [Fact]
    public async Task GetPanelDataAsync_returns_the_panel_data_of_the_request()
    {
        await using var app = await MiniApp.StartAsync(Html);
        using var response = await app.Client.GetAsync("/page?x=1");

        var data = await app.Client.GetPanelDataAsync<RequestData>(response, "request");

        Assert.Equal(("GET", "/page", "?x=1", 200), (data!.Method, data.Path, data.QueryString, data.StatusCode));
    }

    [Fact]
    public async Task GetToolbarId_explains_a_request_the_toolbar_did_not_track()
    {
        await using var app = await MiniApp.StartAsync(Html, remoteAddress: IPAddress.Parse("203.0.113.9"));
        using var response = await app.Client.GetAsync("/");

        var error = Assert.Throws<InvalidOperationException>(() => response.GetToolbarId());

        Assert.Contains("did not track it", error.Message, StringComparison.Ordinal);
        Assert.Contains("ShowToolbar = _ => true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPanelDataAsync_reports_the_error_of_a_failed_panel()
    {
        await using var app = await MiniApp.StartAsync(Html, o => o.Panels.Add<BrokenPanel>(),
            services: s => s.AddSingleton(new BrokenPanelSettings(BrokenAt.OnRequestFinished)));
        using var response = await app.Client.GetAsync("/");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.Client.GetPanelDataAsync<BrokenData>(response, "broken"));

        Assert.Equal("Panel 'broken' failed for this request: OnRequestFinished: InvalidOperationException: broken in OnRequestFinished", error.Message);
    }

    [Fact]
    public async Task PostToolbarAsync_sends_json_with_the_toolbar_header()
    {
        string? header = null, body = null;
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            header = ctx.Request.Headers["X-Toolbar-Request"];
            body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
        });

        using var response = await app.Client.PostToolbarAsync("/anything", new { name = "NewProductList" });

        Assert.Equal(("1", "{\"name\":\"NewProductList\"}"), (header, body));
    }
}
