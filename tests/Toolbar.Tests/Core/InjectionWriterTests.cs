using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

/// <summary>
/// <c>Response.BodyWriter</c> of a response that will never be injected (its type is set and is not HTML) is the
/// server's own writer: a JSON API pays nothing for the injection machinery.
/// </summary>
public class InjectionWriterTests
{
    private static Task<MiniApp> StartAsync(RequestDelegate handler) => MiniApp.StartAsync(handler, beforeToolbar: app =>
        app.Use((HttpContext ctx, RequestDelegate next) =>
        {
            ctx.Items["server-writer"] = ctx.Features.Get<IHttpResponseBodyFeature>()!.Writer;
            return next(ctx);
        }));

    [Fact]
    public async Task A_json_response_writes_straight_into_the_servers_writer()
    {
        var sawServerWriter = false;
        await using var app = await StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            sawServerWriter = ReferenceEquals(ctx.Response.BodyWriter, ctx.Items["server-writer"]);
            await ctx.Response.WriteAsJsonAsync(new { html = "</body>", n = 42 });
        });

        var response = await app.Client.GetAsync("/api");

        Assert.True(sawServerWriter);
        Assert.Equal("{\"html\":\"</body>\",\"n\":42}", await response.Content.ReadAsStringAsync());
        Assert.Matches("^[0-9a-f]{32}$", response.Headers.GetValues("X-Toolbar-Id").Single());
    }

    [Fact]
    public async Task An_html_response_still_goes_through_the_injecting_writer()
    {
        var sawServerWriter = true;
        await using var app = await StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            sawServerWriter = ReferenceEquals(ctx.Response.BodyWriter, ctx.Items["server-writer"]);
            await ctx.Response.BodyWriter.WriteAsync(Encoding.UTF8.GetBytes("<html><body>pipe</body></html>"));
        });

        var response = await app.Client.GetAsync("/page");
        var body = await response.Content.ReadAsStringAsync();

        Assert.False(sawServerWriter);
        Assert.Contains("<div id=\"toolbar-root\"", body, StringComparison.Ordinal);
        Assert.EndsWith("</body></html>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_turned_into_html_after_taking_the_writer_is_served_unchanged()
    {
        const string page = "<html><body>late html</body></html>";
        await using var app = await StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "application/octet-stream";
            var writer = ctx.Response.BodyWriter;
            ctx.Response.ContentType = "text/html";
            await writer.WriteAsync(Encoding.UTF8.GetBytes(page));
            // Body and BodyWriter mixed: the bytes still arrive in order.
            await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("<!-- tail -->"));
        });

        var response = await app.Client.GetAsync("/late");

        Assert.Equal(page + "<!-- tail -->", await response.Content.ReadAsStringAsync());
    }
}
