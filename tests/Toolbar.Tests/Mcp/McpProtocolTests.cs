using System.Net;
using System.Text;
using System.Text.Json;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Mcp;

/// <summary>The MCP endpoint on the wire: JSON-RPC framing, transport rules, and the toolbar's access rules.</summary>
public sealed class McpProtocolTests : IClassFixture<SampleAppFactory>
{
    private readonly SampleAppFactory _factory;

    public McpProtocolTests(SampleAppFactory factory) => _factory = factory;

    [Fact]
    public async Task A_notification_is_accepted_with_no_body()
    {
        using var response = await PostAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ping_answers_with_the_same_id()
    {
        using var response = await PostAsync("""{"jsonrpc":"2.0","id":"abc","method":"ping"}""");
        var json = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("abc", json.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task Unknown_method_is_a_json_rpc_error()
    {
        using var response = await PostAsync("""{"jsonrpc":"2.0","id":7,"method":"sampling/createMessage"}""");
        var json = await ReadAsync(response);

        Assert.Equal(7, json.GetProperty("id").GetInt32());
        Assert.Equal(-32601, json.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Malformed_json_is_a_400_parse_error()
    {
        using var response = await PostAsync("{\"jsonrpc\":\"2.0\",");
        var json = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32700, json.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Unknown_tool_is_an_invalid_params_error()
    {
        using var response = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"drop_database","arguments":{}}}""");
        var json = await ReadAsync(response);

        Assert.Equal(-32602, json.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_batch_gets_one_answer_per_request()
    {
        using var response = await PostAsync("""[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":2,"method":"tools/list"}]""");
        var json = await ReadAsync(response);

        Assert.Equal([1, 2], json.EnumerateArray().Select(a => a.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task Text_plain_is_refused_so_a_cross_site_form_cannot_call_it()
    {
        using var client = _factory.CreateClient();
        using var response = await client.PostAsync("/_toolbar/mcp", new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_foreign_origin_is_refused()
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_toolbar/mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "http://evil.example");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + new string('x', 2 * 1024 * 1024) + "\"}}";
        using var response = await PostAsync(huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Get_is_405_with_allow_post()
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync("/_toolbar/mcp");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Initialize_echoes_a_supported_protocol_version()
    {
        using var response = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
        var json = await ReadAsync(response);

        Assert.Equal("2025-06-18", json.GetProperty("result").GetProperty("protocolVersion").GetString());
        Assert.True(json.GetProperty("result").GetProperty("capabilities").TryGetProperty("tools", out _));
    }

    [Theory]
    [InlineData("Production", "127.0.0.1")]
    [InlineData("Development", "203.0.113.9")]
    public async Task Answers_404_where_the_toolbar_is_not_allowed(string environment, string remote)
    {
        using var factory = new SampleAppFactory { Environment = environment, RemoteAddress = IPAddress.Parse(remote) };
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/_toolbar/mcp", new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string body)
    {
        using var client = _factory.CreateClient();
        return await client.PostAsync("/_toolbar/mcp", new StringContent(body, Encoding.UTF8, "application/json"));
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
