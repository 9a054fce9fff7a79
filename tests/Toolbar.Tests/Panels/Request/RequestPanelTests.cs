using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Tests.Infrastructure;
using static Toolbar.Tests.Panels.Context.ContextPanelTestHelpers;

namespace Toolbar.Tests.Panels.Request;

public class RequestPanelTests
{
    [Fact]
    public async Task Authorization_header_and_framework_cookies_are_masked()
    {
        await using var app = await MiniApp.StartAsync(_ => Task.CompletedTask);
        using var message = new HttpRequestMessage(HttpMethod.Get, "/");
        message.Headers.TryAddWithoutValidation("Authorization", "Bearer s3cr3t");
        message.Headers.TryAddWithoutValidation("Cookie", ".AspNetCore.Cookies=ticket123; theme=dark");
        var response = await app.Client.SendAsync(message);
        var data = await PanelDataAsync(app.Client, ToolbarId(response), "request");
        Assert.Equal(SecretMasker.Mask, data.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal(SecretMasker.Mask, data.GetProperty("headers").GetProperty("Cookie").GetString());
        Assert.Equal(SecretMasker.Mask, data.GetProperty("cookies").GetProperty(".AspNetCore.Cookies").GetString());
        Assert.Equal("dark", data.GetProperty("cookies").GetProperty("theme").GetString());
    }

    [Fact]
    public async Task Secret_query_parameter_is_masked_in_the_query_string()
    {
        await using var app = await MiniApp.StartAsync(_ => Task.CompletedTask);
        var response = await app.Client.GetAsync("/?token=abc&page=2");
        var data = await PanelDataAsync(app.Client, ToolbarId(response), "request");
        Assert.Equal("?token=********&page=2", data.GetProperty("queryString").GetString());
        Assert.Equal("2", data.GetProperty("query").GetProperty("page").GetString());
    }

    [Fact]
    public async Task Form_read_by_the_app_is_shown_with_secrets_masked()
    {
        await using var app = await MiniApp.StartAsync(async ctx => await ctx.Request.ReadFormAsync());
        var response = await app.Client.PostAsync("/", new FormUrlEncodedContent([new("user", "ada"), new("password", "hunter2")]));
        var form = (await PanelDataAsync(app.Client, ToolbarId(response), "request")).GetProperty("form");
        Assert.Equal("ada", form.GetProperty("user").GetString());
        Assert.Equal(SecretMasker.Mask, form.GetProperty("password").GetString());
    }

    [Fact]
    public async Task Form_not_read_by_the_app_is_left_alone()
    {
        string? bodySeenAfterwards = null;
        await using var app = await MiniApp.StartAsync(
            _ => Task.CompletedTask,
            afterToolbar: a => a.Use(async (ctx, next) =>
            {
                await next(ctx);
                bodySeenAfterwards = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            }));
        var response = await app.Client.PostAsync("/", new FormUrlEncodedContent([new("user", "ada")]));
        var data = await PanelDataAsync(app.Client, ToolbarId(response), "request");
        Assert.Empty(data.GetProperty("form").EnumerateObject());
        Assert.Equal("user=ada", bodySeenAfterwards);
    }

    [Fact]
    public async Task Session_values_are_shown_when_the_app_uses_sessions()
    {
        await using var app = await MiniApp.StartAsync(
            async ctx =>
            {
                ctx.Session.SetString("cart", "3 items");
                ctx.Session.SetString("resetToken", "t-1");
                await ctx.Response.WriteAsync("<p>cart</p>");
            },
            services: s => s.AddDistributedMemoryCache().AddSession(),
            afterToolbar: a => a.UseSession());
        var response = await app.Client.GetAsync("/");
        var session = (await PanelDataAsync(app.Client, ToolbarId(response), "request")).GetProperty("session");
        Assert.Equal("3 items", session.GetProperty("cart").GetString());
        Assert.Equal(SecretMasker.Mask, session.GetProperty("resetToken").GetString());
    }

    [Fact]
    public async Task Request_that_threw_shows_status_500_and_turns_red()
    {
        using var factory = new SampleAppFactory();
        var client = factory.CreateClient();
        await client.GetAsync("/error");
        var id = await NewestIdForPathAsync(client, "/error");
        Assert.Equal(500, (await PanelDataAsync(client, id, "request")).GetProperty("statusCode").GetInt32());
        var nav = await NavAsync(client, id, "request");
        Assert.Equal("GET 500", nav.GetProperty("subtitle").GetString());
        Assert.Equal("error", nav.GetProperty("status").GetString());
    }
}
