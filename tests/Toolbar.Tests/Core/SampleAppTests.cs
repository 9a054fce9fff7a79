using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

public class SampleAppTests : IClassFixture<SampleAppFactory>
{
    private readonly SampleAppFactory _factory;

    public SampleAppTests(SampleAppFactory factory) => _factory = factory;

    [Fact]
    public async Task Compressed_pages_still_carry_the_toolbar()
    {
        var client = _factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/products");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var response = await client.SendAsync(request);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        var html = await new StreamReader(gzip).ReadToEndAsync();
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        Assert.Contains($"<div id=\"toolbar-root\" data-toolbar-id=\"{id}\"", html, StringComparison.Ordinal);
        Assert.EndsWith("</body>\n</html>", html.TrimEnd('\n', ' ') + "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_page_still_shows_and_the_record_has_status_500()
    {
        var client = _factory.CreateClient();
        var response = await client.GetAsync("/error");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Sample failure from /error", body, StringComparison.Ordinal);
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var record = await _factory.GetRecordAsync(client, id);
        Assert.Equal(500, record.GetProperty("statusCode").GetInt32());
        Assert.Equal("/error", record.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Json_api_responses_get_headers_but_no_snippet()
    {
        var client = _factory.CreateClient();
        var response = await client.GetAsync("/api/products");
        var json = await response.Content.ReadAsStringAsync();
        Assert.Equal(50, JsonDocument.Parse(json).RootElement.GetArrayLength());
        Assert.DoesNotContain("toolbar-root", json, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", response.Headers.GetValues("X-Toolbar-Id").Single());
        Assert.Contains(response.Headers.GetValues("Server-Timing"), v => v.StartsWith("total;dur=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Streamed_page_sends_its_first_chunk_before_the_app_finishes()
    {
        var client = _factory.CreateClient();
        using var response = await client.GetAsync("/stream", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer);
        var first = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        Assert.DoesNotContain("Chunk 5 of 5", first, StringComparison.Ordinal);
        var rest = await new StreamReader(stream).ReadToEndAsync();
        Assert.Contains("Chunk 5 of 5", first + rest, StringComparison.Ordinal);
        Assert.Contains("toolbar-root", rest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_pages_all_answer()
    {
        var client = _factory.CreateClient();
        foreach (var path in new[] { "/", "/products", "/products?fixed=true", "/products?q=3", "/products/7", "/api/products", "/memory/retain?count=10", "/memory/release", "/many?n=5", "/big?kb=8", "/stream", "/csp" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        }

        Assert.Equal("default-src 'self'", (await client.GetAsync("/csp")).Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/products/999")).StatusCode);
    }
}
