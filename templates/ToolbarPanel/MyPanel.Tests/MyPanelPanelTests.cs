using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MyPanel;
using Toolbar;
using Toolbar.Testing;

namespace MyPanel.Tests;

public class MyPanelPanelTests
{
    [Fact]
    public async Task Stores_the_request_path_and_header_count()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        // A TestServer client has no address, so the default policy (loopback only) would hide the toolbar.
        builder.Services.AddDebugToolbar(o => o.ShowToolbar = _ => true);
        builder.Services.AddToolbarPanel<MyPanelPanel>();
        await using var app = builder.Build();
        app.UseDebugToolbar();
        app.MapGet("/hello", () => Results.Content("<html><body>Hello</body></html>", "text/html"));
        await app.StartAsync();
        var client = app.GetTestClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("X-One", "1");
        request.Headers.Add("X-Two", "2");

        using var response = await client.SendAsync(request);
        var data = await client.GetPanelDataAsync<MyPanelData>(response, "tbpanelid");
        var html = await client.GetPanelHtmlAsync(response, "tbpanelid");

        Assert.NotNull(data);
        Assert.Equal("/hello", data.Path);
        Assert.Equal("HTTP: GET /hello", data.Endpoint);
        // TestServer adds Host; the two headers above are the rest.
        Assert.Equal(3, data.HeaderCount);
        Assert.Contains("<td class=\"tb-mono\">/hello</td>", html, StringComparison.Ordinal);
    }
}
