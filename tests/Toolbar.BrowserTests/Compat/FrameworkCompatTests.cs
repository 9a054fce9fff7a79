using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests.Compat;

/// <summary>
/// The toolbar in apps of every ASP.NET Core flavour, in a real browser: it appears on HTML pages, leaves
/// everything else (static assets, WebSockets, event streams, binary bodies) working and untouched.
/// </summary>
[Collection(BrowserCollection.Name)]
public class FrameworkCompatTests(BrowserFixture browser)
{
    private static async Task AssertCleanAsync(PageSession session)
    {
        Assert.True(session.ConsoleErrors.Count == 0, "Console errors: " + string.Join(" | ", session.ConsoleErrors));
        Assert.Empty(session.Dialogs);
        await Assertions.Expect(session.Page.Locator("#toolbar-root")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Minimal_api_html_gets_the_toolbar()
    {
        await using var app = await KestrelApp.StartAsync(a => a.MapGet("/minimal/{name}", (string name) =>
            Results.Content($"<!DOCTYPE html><html><head><title>minimal</title></head><body><h1 id=\"hello\">Hello {System.Net.WebUtility.HtmlEncode(name)}</h1></body></html>", "text/html; charset=utf-8")));
        await using var session = await app.NewPageAsync(browser);

        await session.GotoAsync("/minimal/world");
        await Assertions.Expect(session.Page.Locator("#hello")).ToHaveTextAsync("Hello world");
        var content = await session.OpenPanelAsync("request");
        await Assertions.Expect(content).ToContainTextAsync("/minimal/world");
        await AssertCleanAsync(session);
    }

    [Fact]
    public async Task Mvc_view_with_layout_gets_the_toolbar()
    {
        await using var app = await KestrelApp.StartAsync(
            a => a.MapControllers(),
            b => b.Services.AddControllersWithViews().AddRazorOptions(o =>
            {
                o.ViewLocationFormats.Add("/Compat/Views/{1}/{0}.cshtml");
                o.ViewLocationFormats.Add("/Compat/Views/Shared/{0}.cshtml");
            }));
        await using var session = await app.NewPageAsync(browser);

        await session.GotoAsync("/mvc/items/3");
        await Assertions.Expect(session.Page.Locator("#item")).ToHaveTextAsync("Item number 3");
        await Assertions.Expect(session.Page.Locator("body > header")).ToHaveTextAsync("MVC layout");
        var content = await session.OpenPanelAsync("request");
        await Assertions.Expect(content).ToContainTextAsync("/mvc/items/3");
        await AssertCleanAsync(session);
    }

    [Fact]
    public async Task Razor_page_get_and_form_post_get_the_toolbar()
    {
        await using var app = await KestrelApp.StartAsync(
            a => a.MapRazorPages(),
            b => b.Services.AddRazorPages(o => o.RootDirectory = "/Compat/Pages"));
        await using var session = await app.NewPageAsync(browser);

        await session.GotoAsync("/Orders/5");
        await Assertions.Expect(session.Page.Locator("#order")).ToHaveTextAsync("Order 5");
        await session.Page.FillAsync("#note", "<b>bold</b>");
        await session.Page.ClickAsync("#save");
        await Assertions.Expect(session.Page.Locator("#saved")).ToHaveTextAsync("Saved: <b>bold</b>");
        await Assertions.Expect(session.Page.Locator(".tb-handle-status")).ToHaveTextAsync("200");
        var content = await session.OpenPanelAsync("request");
        await Assertions.Expect(content).ToContainTextAsync("POST");
        await AssertCleanAsync(session);
    }

    [Fact]
    public async Task Static_html_gets_the_toolbar_and_its_css_and_png_are_intact()
    {
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var root = Directory.CreateTempSubdirectory("toolbar-compat-static-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(root, "pixel.png"), png);
            await File.WriteAllTextAsync(Path.Combine(root, "site.css"), "#title { color: rgb(1, 2, 3); }\n");
            await File.WriteAllTextAsync(Path.Combine(root, "page.html"),
                "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"/site.css\"></head><body><h1 id=\"title\">Static</h1><img id=\"pixel\" src=\"/pixel.png\" alt=\"\"></body></html>");
            await using var app = await KestrelApp.StartAsync(a => a.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(root) }));
            await using var session = await app.NewPageAsync(browser);

            await session.GotoAsync("/page.html");
            await Assertions.Expect(session.Page.Locator("#title")).ToHaveCSSAsync("color", "rgb(1, 2, 3)");
            Assert.Equal(1, await session.Page.EvalOnSelectorAsync<int>("#pixel", "img => img.naturalWidth"));
            var fetched = await session.Page.EvaluateAsync<string>(
                "async () => { const r = await fetch('/pixel.png'); return Array.from(new Uint8Array(await r.arrayBuffer())).join(','); }");
            Assert.Equal(string.Join(',', png), fetched);
            await AssertCleanAsync(session);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task WebSocket_upgrade_and_messages_work_on_a_page_with_the_toolbar()
    {
        await using var app = await KestrelApp.StartAsync(a =>
        {
            a.UseWebSockets();
            a.MapGet("/ws-page", () => Results.Content(
                "<!DOCTYPE html><html><body><p id=\"out\">waiting</p><script>"
                + "const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws');"
                + "const got = [];"
                + "ws.onopen = () => { ws.send('one'); ws.send('</body>'); };"
                + "ws.onmessage = e => { got.push(e.data); document.getElementById('out').textContent = got.join('|'); };"
                + "</script></body></html>", "text/html"));
            a.Map("/ws", async (HttpContext ctx) =>
            {
                using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                    {
                        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                        return;
                    }

                    var reply = Encoding.UTF8.GetBytes("echo:" + Encoding.UTF8.GetString(buffer, 0, result.Count));
                    await socket.SendAsync(reply, System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
                }
            });
        });
        await using var session = await app.NewPageAsync(browser);

        await session.GotoAsync("/ws-page");
        await Assertions.Expect(session.Page.Locator("#out")).ToHaveTextAsync("echo:one|echo:</body>");
        await AssertCleanAsync(session);
    }

    [Fact]
    public async Task Server_sent_events_arrive_one_by_one_while_the_stream_is_open()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await KestrelApp.StartAsync(a =>
        {
            a.MapGet("/sse-page", () => Results.Content(
                "<!DOCTYPE html><html><body><p id=\"log\"></p><script>"
                + "const es = new EventSource('/events');"
                + "es.onmessage = e => { document.getElementById('log').textContent += '[' + e.data + ']'; };"
                + "es.addEventListener('done', () => es.close());"
                + "</script></body></html>", "text/html"));
            a.MapGet("/events", async (HttpContext ctx) =>
            {
                ctx.Response.ContentType = "text/event-stream";
                await ctx.Response.WriteAsync("data: first\n\n");
                await ctx.Response.Body.FlushAsync();
                // The second event waits until the browser has shown the first: a buffered stream would deadlock here.
                await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
                await ctx.Response.WriteAsync("data: second\n\nevent: done\ndata: end\n\n");
            });
        });
        await using var session = await app.NewPageAsync(browser);

        await session.GotoAsync("/sse-page");
        await Assertions.Expect(session.Page.Locator("#log")).ToHaveTextAsync("[first]");
        release.SetResult();
        await Assertions.Expect(session.Page.Locator("#log")).ToHaveTextAsync("[first][second]");
        await AssertCleanAsync(session);
    }

    [Fact]
    public async Task Grpc_style_binary_stream_reaches_fetch_byte_for_byte()
    {
        // gRPC-web-like framing: length-prefixed messages written in flushed parts, one of them containing "</body>".
        var message = Encoding.UTF8.GetBytes("<html><body>not a page</body></html>");
        var frame = new byte[5 + message.Length];
        frame[4] = (byte)message.Length;
        message.CopyTo(frame, 5);
        await using var app = await KestrelApp.StartAsync(a =>
        {
            a.MapGet("/page", () => Results.Content("<!DOCTYPE html><html><body><p>client</p></body></html>", "text/html"));
            a.MapPost("/pkg.Service/Stream", async (HttpContext ctx) =>
            {
                ctx.Response.ContentType = "application/grpc-web+proto";
                for (var i = 0; i < 3; i++)
                {
                    await ctx.Response.Body.WriteAsync(frame);
                    await ctx.Response.Body.FlushAsync();
                }
            });
        });
        await using var session = await app.NewPageAsync(browser);

        await session.GotoAsync("/page");
        var fetched = await session.Page.EvaluateAsync<string>(
            "async () => { const r = await fetch('/pkg.Service/Stream', { method: 'POST' }); return Array.from(new Uint8Array(await r.arrayBuffer())).join(','); }");
        Assert.Equal(string.Join(',', frame.Concat(frame).Concat(frame)), fetched);
        await AssertCleanAsync(session);
    }
}
