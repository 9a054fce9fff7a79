using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

public class InjectionTests
{
    private static string Snippet(string id) =>
        $"<div id=\"toolbar-root\" data-toolbar-id=\"{id}\" data-toolbar-prefix=\"/_toolbar\"></div>"
        + "<script src=\"/_toolbar/assets/toolbar.js\" data-toolbar-prefix=\"/_toolbar\" defer></script>";

    private static RequestDelegate Html(string body, string contentType = "text/html; charset=utf-8") => async ctx =>
    {
        ctx.Response.ContentType = contentType;
        await ctx.Response.WriteAsync(body);
    };

    private static async Task<(HttpResponseMessage Response, string Body, string Id)> GetAsync(MiniApp app, string path = "/", HttpMethod? method = null)
    {
        var response = await app.Client.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, path));
        var body = await response.Content.ReadAsStringAsync();
        var id = response.Headers.TryGetValues("X-Toolbar-Id", out var ids) ? ids.Single() : "";
        return (response, body, id);
    }

    [Fact]
    public async Task Injects_before_last_body_tag()
    {
        await using var app = await MiniApp.StartAsync(Html("<html><body><p>Hi</p></body></html>"));
        var (response, body, id) = await GetAsync(app);
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal($"<html><body><p>Hi</p>{Snippet(id)}</body></html>", body);
        Assert.Null(response.Content.Headers.ContentLength is { } l && l != Encoding.UTF8.GetByteCount(body) ? l : null);
    }

    [Fact]
    public async Task Injects_before_the_last_of_several_body_tags()
    {
        const string page = "<html><body><script>var s = '</body>';</script><p>x</p></body>\n</html>\n";
        await using var app = await MiniApp.StartAsync(Html(page));
        var (_, body, id) = await GetAsync(app);
        Assert.Equal(page.Insert(page.LastIndexOf("</body>", StringComparison.Ordinal), Snippet(id)), body);
    }

    [Fact]
    public async Task Finds_mixed_case_body_tag()
    {
        const string page = "<HTML><BODY>x</BoDy></HTML>";
        await using var app = await MiniApp.StartAsync(Html(page));
        var (_, body, id) = await GetAsync(app);
        Assert.Equal($"<HTML><BODY>x{Snippet(id)}</BoDy></HTML>", body);
    }

    [Fact]
    public async Task Html_without_body_tag_is_unchanged()
    {
        const string page = "<p>fragment for htmx</p>";
        await using var app = await MiniApp.StartAsync(Html(page));
        var (response, body, id) = await GetAsync(app);
        Assert.Equal(page, body);
        Assert.NotEmpty(id);
        Assert.Contains(response.Headers.GetValues("Server-Timing"), v => v.Contains("total;dur=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_is_unchanged_but_gets_toolbar_headers()
    {
        const string json = "{\"html\":\"</body>\"}";
        await using var app = await MiniApp.StartAsync(Html(json, "application/json"));
        var (response, body, id) = await GetAsync(app);
        Assert.Equal(json, body);
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Single(response.Headers.GetValues("Server-Timing"));
    }

    [Fact]
    public async Task Head_request_gets_no_body()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            ctx.Response.ContentLength = 28;
            if (!HttpMethods.IsHead(ctx.Request.Method))
            {
                await ctx.Response.WriteAsync("<html><body>x</body></html>");
            }
        });
        var (response, body, _) = await GetAsync(app, "/", HttpMethod.Head);
        Assert.Equal("", body);
        Assert.Equal(28, response.Content.Headers.ContentLength);
    }

    [Theory]
    [InlineData(204)]
    [InlineData(304)]
    [InlineData(302)]
    public async Task Bodiless_statuses_are_untouched(int status)
    {
        await using var app = await MiniApp.StartAsync(ctx =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "text/html";
            if (status == 302)
            {
                ctx.Response.Headers.Location = "/elsewhere";
            }

            return Task.CompletedTask;
        });
        var (response, body, id) = await GetAsync(app);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("", body);
        Assert.NotEmpty(id);
    }

    [Fact]
    public async Task Many_single_byte_writes_are_injected_exactly()
    {
        const string page = "<!doctype html><html><body><p>tiny writes</p></body></html>";
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            foreach (var b in Encoding.ASCII.GetBytes(page))
            {
                await ctx.Response.Body.WriteAsync(new[] { b });
            }
        });
        var (_, body, id) = await GetAsync(app);
        Assert.Equal(page.Replace("</body>", Snippet(id) + "</body>", StringComparison.Ordinal), body);
    }

    [Fact]
    public async Task PipeWriter_writes_are_injected()
    {
        const string page = "<html><body>pipe</body></html>";
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            var writer = ctx.Response.BodyWriter;
            var bytes = Encoding.UTF8.GetBytes(page);
            bytes.AsSpan(0, 10).CopyTo(writer.GetSpan(10));
            writer.Advance(10);
            await writer.FlushAsync();
            bytes.AsSpan(10).CopyTo(writer.GetSpan(bytes.Length - 10));
            writer.Advance(bytes.Length - 10);
            // No flush: the toolbar must flush what the app left in the pipe.
        });
        var (_, body, id) = await GetAsync(app);
        Assert.Equal($"<html><body>pipe{Snippet(id)}</body></html>", body);
    }

    [Fact]
    public async Task Flushed_chunk_reaches_client_before_the_app_finishes()
    {
        var release = new TaskCompletionSource();
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync("<html><body><p>first chunk</p>");
            await ctx.Response.Body.FlushAsync();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await ctx.Response.WriteAsync("</body></html>");
        });
        using var response = await app.Client.GetAsync("/", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1024];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("<html><body><p>first", Encoding.UTF8.GetString(buffer, 0, read));
        release.SetResult();
        var rest = await new StreamReader(stream).ReadToEndAsync();
        Assert.EndsWith("</body></html>", rest);
        Assert.Contains("toolbar-root", rest);
    }

    [Fact]
    public async Task Five_megabyte_page_is_byte_identical_apart_from_the_snippet()
    {
        var page = "<html><body>" + string.Concat(Enumerable.Range(0, 5 * 1024 * 1024 / 64).Select(i => $"<p>{i:D57}</p>\n")) + "</body></html>";
        await using var app = await MiniApp.StartAsync(Html(page));
        var (_, body, id) = await GetAsync(app);
        Assert.Equal(page.Length + Snippet(id).Length, body.Length);
        Assert.Equal(page.Insert(page.Length - "</body></html>".Length, Snippet(id)), body);
    }

    [Theory]
    [InlineData("text/html; charset=iso-8859-1", "iso-8859-1")]
    [InlineData("text/html; charset=windows-1252", "windows-1252")]
    [InlineData("text/html", "utf-8")]
    public async Task Ascii_compatible_charsets_are_injected(string contentType, string charset)
    {
        var encoding = Encoding.GetEncoding(charset == "windows-1252" ? "iso-8859-1" : charset);
        var bytes = encoding.GetBytes("<html><body>caf\u00e9</body></html>");
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = contentType;
            await ctx.Response.Body.WriteAsync(bytes);
        });
        var response = await app.Client.GetAsync("/");
        var raw = await response.Content.ReadAsByteArrayAsync();
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var expected = encoding.GetBytes($"<html><body>caf\u00e9{Snippet(id)}</body></html>");
        Assert.Equal(expected, raw);
    }

    [Fact]
    public async Task Utf16_html_is_not_touched()
    {
        var bytes = Encoding.Unicode.GetBytes("<html><body>x</body></html>");
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html; charset=utf-16";
            await ctx.Response.Body.WriteAsync(bytes);
        });
        var response = await app.Client.GetAsync("/");
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Already_compressed_html_is_untouched_but_headers_are_set()
    {
        byte[] gzipped;
        using (var buffer = new MemoryStream())
        {
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(Encoding.UTF8.GetBytes("<html><body>x</body></html>"));
            }

            gzipped = buffer.ToArray();
        }

        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            ctx.Response.Headers.ContentEncoding = "gzip";
            await ctx.Response.Body.WriteAsync(gzipped);
        });
        var response = await app.Client.GetAsync("/");
        Assert.Equal(gzipped, await response.Content.ReadAsByteArrayAsync());
        Assert.True(response.Headers.Contains("X-Toolbar-Id"));
    }

    [Fact]
    public async Task Content_length_of_the_app_is_dropped_when_injecting()
    {
        const string page = "<html><body>sized</body></html>";
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            ctx.Response.ContentLength = page.Length;
            await ctx.Response.WriteAsync(page);
        });
        var (response, body, id) = await GetAsync(app);
        Assert.Equal($"<html><body>sized{Snippet(id)}</body></html>", body);
        Assert.NotEqual(page.Length, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Attachment_is_untouched()
    {
        const string page = "<html><body>download me</body></html>";
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            ctx.Response.Headers.ContentDisposition = "attachment; filename=page.html";
            await ctx.Response.WriteAsync(page);
        });
        var (_, body, _) = await GetAsync(app);
        Assert.Equal(page, body);
    }

    [Fact]
    public async Task Send_file_html_is_injected_and_other_files_pass_through()
    {
        var dir = Directory.CreateTempSubdirectory("toolbar-sendfile");
        var html = Path.Combine(dir.FullName, "page.html");
        var png = Path.Combine(dir.FullName, "image.png");
        await File.WriteAllTextAsync(html, "<html><body>file</body></html>");
        var pngBytes = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x3C, 0x2F, 0x62, 0x6F, 0x64, 0x79, 0x3E };
        await File.WriteAllBytesAsync(png, pngBytes);
        try
        {
            await using var app = await MiniApp.StartAsync(async ctx =>
            {
                var isHtml = ctx.Request.Path == "/page.html";
                ctx.Response.ContentType = isHtml ? "text/html" : "image/png";
                await ctx.Response.SendFileAsync(isHtml ? html : png);
            });
            var (_, body, id) = await GetAsync(app, "/page.html");
            Assert.Equal($"<html><body>file{Snippet(id)}</body></html>", body);
            var image = await app.Client.GetByteArrayAsync("/image.png");
            Assert.Equal(pngBytes, image);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Sync_writes_are_injected_when_the_app_allows_them()
    {
        await using var app = await MiniApp.StartAsync(ctx =>
        {
            ctx.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
            ctx.Response.ContentType = "text/html";
            var bytes = Encoding.UTF8.GetBytes("<html><body>sync</body></html>");
            ctx.Response.Body.Write(bytes, 0, 15);
            ctx.Response.Body.Write(bytes, 15, bytes.Length - 15);
            return Task.CompletedTask;
        });
        var (_, body, id) = await GetAsync(app);
        Assert.Equal($"<html><body>sync{Snippet(id)}</body></html>", body);
    }

    [Fact]
    public async Task App_exception_is_recorded_with_status_500()
    {
        await using var app = await MiniApp.StartAsync(_ => throw new InvalidOperationException("boom"));
        var response = await app.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var list = await app.Client.GetStringAsync("/_toolbar/api/requests");
        Assert.Contains("\"statusCode\":500", list, StringComparison.Ordinal);
    }
}
