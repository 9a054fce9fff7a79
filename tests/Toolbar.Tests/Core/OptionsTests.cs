using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

public class OptionsTests
{
    [Fact]
    public async Task Options_are_bound_from_the_toolbar_configuration_section()
    {
        using var factory = new SampleAppFactory();
        factory.Settings["Toolbar:PathPrefix"] = "/_debug";
        factory.Settings["Toolbar:MaxRequests"] = "3";
        factory.Settings["Toolbar:DisabledPanels:0"] = "request";
        var client = factory.CreateClient();

        var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/_debug/assets/toolbar.js\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/_debug/assets/toolbar.js")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/_toolbar/assets/toolbar.js")).StatusCode);

        for (var i = 0; i < 4; i++)
        {
            await client.GetAsync("/api/products");
        }

        var list = JsonDocument.Parse(await client.GetStringAsync("/_debug/api/requests")).RootElement;
        Assert.Equal(3, list.GetArrayLength());
        var id = list[0].GetProperty("id").GetString();
        var record = JsonDocument.Parse(await client.GetStringAsync($"/_debug/api/requests/{id}")).RootElement;
        Assert.False(record.GetProperty("panels").TryGetProperty("request", out _));
    }

    [Fact]
    public async Task Path_base_is_part_of_the_injected_urls()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync("<html><body>x</body></html>");
        }, beforeToolbar: a => a.UsePathBase("/shop"));
        var html = await app.Client.GetStringAsync("/shop/page");
        Assert.Contains("data-toolbar-prefix=\"/shop/_toolbar\"", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/shop/_toolbar/assets/toolbar.js\"", html, StringComparison.Ordinal);
    }
}
