using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Compat;

/// <summary>
/// Responses the toolbar must not touch: static assets, Server-Sent Events, gRPC-style framed bodies with
/// trailers, WebSockets. Each is tracked (the app runs under the toolbar) but its bytes and timing are the app's.
/// </summary>
public class StreamingCompatTests
{
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private const string Css = "body { color: #123; }\n/* </body> inside a stylesheet is not HTML */\n";

    private const string StaticHtml = "<!DOCTYPE html>\n<html><head><title>static</title></head><body><p>static page</p></body></html>\n";

    private static async Task<(MiniApp App, string Root)> StartStaticAsync()
    {
        var root = Directory.CreateTempSubdirectory("toolbar-static-").FullName;
        await File.WriteAllBytesAsync(Path.Combine(root, "pixel.png"), Png);
        await File.WriteAllTextAsync(Path.Combine(root, "site.css"), Css);
        await File.WriteAllTextAsync(Path.Combine(root, "page.html"), StaticHtml);
        var app = await MiniApp.StartAsync(
            ctx =>
            {
                ctx.Response.StatusCode = 404;
                return Task.CompletedTask;
            },
            afterToolbar: a => a.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(root) }));
        return (app, root);
    }

    [Fact]
    public async Task Static_png_and_css_are_byte_identical_and_keep_their_length()
    {
        var (app, root) = await StartStaticAsync();
        await using var _ = app;
        try
        {
            var png = await app.Client.GetAsync("/pixel.png");
            Assert.Equal(Png, await png.Content.ReadAsByteArrayAsync());
            Assert.Equal(Png.Length, png.Content.Headers.ContentLength);
            // An asset is not stored by default, so it carries no id that would lead nowhere.
            Assert.False(png.Headers.Contains("X-Toolbar-Id"));

            var css = await app.Client.GetAsync("/site.css");
            Assert.Equal(Encoding.UTF8.GetBytes(Css), await css.Content.ReadAsByteArrayAsync());
            Assert.Equal(Encoding.UTF8.GetByteCount(Css), css.Content.Headers.ContentLength);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Static_html_file_gets_the_toolbar_and_no_stale_length()
    {
        var (app, root) = await StartStaticAsync();
        await using var _ = app;
        try
        {
            var response = await app.Client.GetAsync("/page.html");
            var body = await response.Content.ReadAsStringAsync();
            var id = response.Headers.GetValues("X-Toolbar-Id").Single();
            var expected = StaticHtml.Insert(StaticHtml.LastIndexOf("</body>", StringComparison.Ordinal),
                $"<div id=\"toolbar-root\" data-toolbar-id=\"{id}\" data-toolbar-prefix=\"/_toolbar\"></div>"
                + "<script src=\"/_toolbar/assets/toolbar.js\" data-toolbar-prefix=\"/_toolbar\" defer></script>");
            Assert.Equal(expected, body);
            Assert.True(response.Content.Headers.ContentLength is null || response.Content.Headers.ContentLength == Encoding.UTF8.GetByteCount(expected));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Server_sent_events_reach_the_client_before_the_stream_ends()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/event-stream";
            ctx.Response.Headers.CacheControl = "no-cache";
            await ctx.Response.WriteAsync("id: 1\ndata: first </body>\n\n");
            await ctx.Response.Body.FlushAsync();
            await release.Task;
            await ctx.Response.WriteAsync("id: 2\ndata: second\n\n");
        });

        using var response = await app.Client.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var first = await ReadAtLeastAsync(stream, "id: 1\ndata: first </body>\n\n".Length);
        release.SetResult();
        var rest = await new StreamReader(stream).ReadToEndAsync();

        Assert.Equal("id: 1\ndata: first </body>\n\n", first);
        Assert.Equal("id: 2\ndata: second\n\n", rest);
        Assert.True(response.Headers.Contains("X-Toolbar-Id"));
    }

    [Fact]
    public async Task Grpc_style_framed_body_and_trailers_are_untouched()
    {
        // A length-prefixed message (gRPC framing) containing "</body>", written in two flushed parts, then trailers.
        var payload = Encoding.UTF8.GetBytes("<html><body>not html</body></html>");
        var frame = new byte[5 + payload.Length];
        frame[4] = (byte)payload.Length;
        payload.CopyTo(frame, 5);
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "application/grpc";
            ctx.Response.DeclareTrailer("grpc-status");
            await ctx.Response.Body.WriteAsync(frame.AsMemory(0, 7));
            await ctx.Response.Body.FlushAsync();
            await ctx.Response.BodyWriter.WriteAsync(frame.AsMemory(7));
            ctx.Response.AppendTrailer("grpc-status", "0");
            ctx.Response.AppendTrailer("grpc-message", "ok");
        });

        var response = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/pkg.Service/Method") { Version = HttpVersion.Version20 });
        Assert.Equal(frame, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
        Assert.Equal("ok", response.TrailingHeaders.GetValues("grpc-message").Single());
    }

    [Fact]
    public async Task Octet_stream_with_declared_length_is_byte_identical()
    {
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31)).ToArray();
        Encoding.ASCII.GetBytes("</body>").CopyTo(bytes, 100);
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "application/octet-stream";
            ctx.Response.ContentLength = bytes.Length;
            await ctx.Response.Body.WriteAsync(bytes);
        });

        var response = await app.Client.GetAsync("/blob");
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task WebSocket_upgrade_works_through_the_toolbar_and_messages_flow()
    {
        await using var app = await MiniApp.StartAsync(
            async ctx =>
            {
                using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                        return;
                    }

                    await socket.SendAsync(Encoding.UTF8.GetBytes("echo:" + Encoding.UTF8.GetString(buffer, 0, result.Count)), WebSocketMessageType.Text, true, CancellationToken.None);
                }
            },
            beforeToolbar: a => a.UseWebSockets());

        var client = app.Server.CreateWebSocketClient();
        using var socket = await client.ConnectAsync(new Uri(app.Server.BaseAddress, "/ws"), CancellationToken.None);
        var replies = new List<string>();
        foreach (var message in new[] { "one", "</body>" })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[1024];
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            replies.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        Assert.Equal(["echo:one", "echo:</body>"], replies);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        // The record is stored when the server side of the socket has returned, a moment after the close.
        var store = app.Services.GetRequiredService<IToolbarStore>();
        for (var i = 0; i < 100 && !(await store.ListAsync()).Any(s => s.Path == "/ws"); i++)
        {
            await Task.Delay(50);
        }

        Assert.Contains(await store.ListAsync(), s => s.Path == "/ws");
    }

    private static string Snippet(string id) =>
        $"<div id=\"toolbar-root\" data-toolbar-id=\"{id}\" data-toolbar-prefix=\"/_toolbar\"></div>"
        + "<script src=\"/_toolbar/assets/toolbar.js\" data-toolbar-prefix=\"/_toolbar\" defer></script>";

    [Fact]
    public async Task Html_with_identity_content_encoding_gets_the_toolbar()
    {
        // Blazor's streaming rendering sends "Content-Encoding: identity" (= not encoded) on every such page.
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html; charset=utf-8";
            ctx.Response.Headers.ContentEncoding = "identity";
            await ctx.Response.WriteAsync("<html><body>x</body></html>");
        });

        var response = await app.Client.GetAsync("/");
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        Assert.Equal($"<html><body>x{Snippet(id)}</body></html>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Blazor_streaming_updates_after_the_document_are_not_held_back()
    {
        const string document = "<!DOCTYPE html><html><body><p>loading</p><script src=\"_framework/blazor.web.js\"></script></body></html>";
        const string update = "<blazor-ssr><template blazor-component-id=\"1\"><p>first</p></template><blazor-ssr-end></blazor-ssr-end></blazor-ssr>";
        const string last = "<blazor-ssr><template blazor-component-id=\"1\"><p>done</p></template><blazor-ssr-end></blazor-ssr-end></blazor-ssr><!--state-->";
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html; charset=utf-8";
            ctx.Response.Headers.ContentEncoding = "identity";
            await ctx.Response.WriteAsync(document);
            await ctx.Response.Body.FlushAsync();
            await ctx.Response.WriteAsync(update);
            await ctx.Response.Body.FlushAsync();
            await release.Task;
            await ctx.Response.WriteAsync(last);
        });

        using var response = await app.Client.GetAsync("/streaming", HttpCompletionOption.ResponseHeadersRead);
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var expectedFirst = document.Insert(document.LastIndexOf("</body>", StringComparison.Ordinal), Snippet(id)) + update;
        var stream = await response.Content.ReadAsStreamAsync();
        var first = await ReadAtLeastAsync(stream, Encoding.UTF8.GetByteCount(expectedFirst));
        release.SetResult();
        var rest = await new StreamReader(stream).ReadToEndAsync();

        Assert.Equal(expectedFirst, first);
        Assert.Equal(last, rest);
    }

    private static async Task<string> ReadAtLeastAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await stream.ReadExactlyAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer);
    }
}
