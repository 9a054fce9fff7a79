using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

/// <summary>One policy for every toolbar endpoint: bad input gets a 4xx ProblemDetails, never a 500; bodies are bounded; GET answers HEAD.</summary>
public sealed class EndpointPolicyTests : IClassFixture<SampleAppFactory>
{
    private readonly SampleAppFactory _factory;

    public EndpointPolicyTests(SampleAppFactory factory) => _factory = factory;

    [Theory]
    [InlineData("/_toolbar/panels/flags/toggle", "{\"name\":")]
    [InlineData("/_toolbar/panels/sql/explain", "{\"requestId\":")]
    [InlineData("/_toolbar/panels/flags/toggle", "[1,2")]
    public async Task Malformed_json_is_a_400_problem(string path, string body)
    {
        using var response = await PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/_toolbar/panels/flags/toggle")]
    [InlineData("/_toolbar/panels/sql/explain")]
    public async Task Json_that_is_not_utf8_is_a_400_problem(string path)
    {
        var latin1 = new ByteArrayContent([.. "{\"name\":\"caf"u8, 0xE9, .. "\"}"u8]);
        latin1.Headers.ContentType = new("application/json");
        using var response = await PostAsync(path, latin1);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_lone_surrogate_in_the_request_id_is_a_400_problem()
    {
        using var response = await PostAsync("/_toolbar/panels/sql/explain", new StringContent("{\"requestId\":\"\\ud800\",\"index\":0}", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Text_plain_to_a_json_endpoint_is_a_415_problem()
    {
        using var response = await PostAsync("/_toolbar/panels/flags/toggle", new StringContent("{\"name\":\"x\"}", Encoding.UTF8, "text/plain"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("/_toolbar/panels/flags/toggle")]
    [InlineData("/_toolbar/panels/timing/navigation")]
    public async Task A_40_MB_chunked_body_is_refused_with_413_before_it_is_buffered(string path)
    {
        var body = new StreamContent(new EndlessJson(40L * 1024 * 1024, _ => { }));
        body.Headers.ContentType = new("application/json");
        using var response = await PostAsync(path, body);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task The_bounded_body_stops_reading_at_its_limit()
    {
        var read = 0L;
        var body = new Toolbar.Internal.LimitedRequestBody(new EndlessJson(40L * 1024 * 1024, n => read = n), 1024 * 1024);
        var buffer = new byte[16 * 1024];

        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.Http.BadHttpRequestException>(async () =>
        {
            while (await body.ReadAsync(buffer) > 0)
            {
            }
        });

        Assert.Equal(413, refused.StatusCode);
        Assert.InRange(read, 1024 * 1024, (1024 * 1024) + buffer.Length);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_at_once()
    {
        using var response = await PostAsync("/_toolbar/panels/flags/toggle", new ByteArrayContent(new byte[2 * 1024 * 1024]) { Headers = { ContentType = new("application/json") } });

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_state_changing_call_without_the_intent_header_is_a_400_problem()
    {
        using var client = _factory.CreateClient();
        using var response = await client.PostAsync("/_toolbar/api/requests/clear", null);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("X-Toolbar-Request: 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_record_is_a_404_problem()
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync("/_toolbar/api/requests/0123456789abcdef0123456789abcdef");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_toolbars_own_html_runs_only_its_own_scripts_and_is_never_framed()
    {
        // Defense in depth for what a record carries (an imported file is someone else's): no inline or foreign
        // script runs on the toolbar's pages, and no other site can frame them to steer clicks.
        using var client = _factory.CreateClient();
        using var page = await client.GetAsync("/products");
        var id = page.Headers.GetValues("X-Toolbar-Id").Single();
        foreach (var path in new[] { $"/_toolbar/requests/{id}", $"/_toolbar/requests/{id}/panels/request", "/_toolbar/import" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var policy = string.Join(", ", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        }

        // The app's own pages keep whatever policy the app chose (none here).
        Assert.False(page.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public void Every_get_endpoint_of_the_toolbar_answers_head()
    {
        using var client = _factory.CreateClient();
        var sources = _factory.Services.GetServices<EndpointDataSource>();
        var toolbarGets = sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ToolbarEndpointMetadata>() is not null)
            .Select(e => (Pattern: e.RoutePattern.RawText, Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(e => e.Methods.Contains("GET"))
            .ToList();

        Assert.True(toolbarGets.Count >= 8, $"Only {toolbarGets.Count} toolbar GET endpoints found.");
        Assert.All(toolbarGets, e => Assert.True(e.Methods.Contains("HEAD"), $"{e.Pattern} answers GET but not HEAD."));
    }

    [Theory]
    [InlineData("/_toolbar/api/requests")]
    [InlineData("/_toolbar/assets/toolbar.js")]
    [InlineData("/_toolbar/panels/memory/snapshots")]
    public async Task Head_is_answered_like_get(string path)
    {
        using var client = _factory.CreateClient();
        using var get = await client.GetAsync(path);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, HttpContent content)
    {
        using var client = _factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("X-Toolbar-Request", "1");
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        var problem = document.RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>A JSON string body of a given size, produced as it is read (never in memory), reporting how much was read.</summary>
    private sealed class EndlessJson(long size, Action<long> progress) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, size - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = _position + i == 0 ? (byte)'"' : (byte)'x';
            }

            _position += n;
            progress(_position);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
