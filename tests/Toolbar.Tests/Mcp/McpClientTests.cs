using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Mcp;

/// <summary>The MCP endpoint as a coding agent uses it: the MCP C# client against the sample app.</summary>
public sealed class McpClientTests : IClassFixture<SampleAppFactory>
{
    private readonly SampleAppFactory _factory;

    public McpClientTests(SampleAppFactory factory) => _factory = factory;

    [Fact]
    public async Task Initializes_and_lists_the_core_and_panel_tools()
    {
        await using var mcp = await ConnectAsync();

        Assert.Equal("toolbar", mcp.ServerInfo?.Name);
        var tools = (await mcp.ListToolsAsync()).Select(t => t.Name).ToHashSet();
        string[] expected =
        [
            "list_requests", "get_request", "get_panel_data", "get_record", "sql_n_plus_one", "sql_slow_queries",
            "get_exceptions", "test_route", "take_heap_snapshot", "list_heap_snapshots", "diff_heap_snapshots", "profile_next_request", "get_cpu_profile",
        ];
        Assert.All(expected, name => Assert.Contains(name, tools));
    }

    [Fact]
    public async Task List_requests_filters_by_path_and_status()
    {
        using var http = _factory.CreateClient();
        var products = (await http.GetAsync("/products?q=mcp-filter")).Headers.GetValues("X-Toolbar-Id").Single();
        var failed = (await http.GetAsync("/error")).Headers.GetValues("X-Toolbar-Id").Single();
        await using var mcp = await ConnectAsync();

        var byPath = await CallAsync(mcp, "list_requests", new() { ["path"] = "/products", ["limit"] = 100 });
        var pathIds = byPath.EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Contains(products, pathIds);
        Assert.DoesNotContain(failed, pathIds);
        Assert.All(byPath.EnumerateArray(), r => Assert.Contains("/products", r.GetProperty("path").GetString(), StringComparison.OrdinalIgnoreCase));

        var errors = await CallAsync(mcp, "list_requests", new() { ["status"] = "5xx", ["limit"] = 100 });
        var errorIds = errors.EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Contains(failed, errorIds);
        Assert.DoesNotContain(products, errorIds);
        Assert.All(errors.EnumerateArray(), r => Assert.InRange(r.GetProperty("statusCode").GetInt32(), 500, 599));
    }

    [Fact]
    public async Task Get_request_and_panel_data_agree_with_the_json_api()
    {
        using var http = _factory.CreateClient();
        var id = (await http.GetAsync("/products")).Headers.GetValues("X-Toolbar-Id").Single();
        var api = await _factory.GetRecordAsync(http, id);
        await using var mcp = await ConnectAsync();

        var summary = await CallAsync(mcp, "get_request", new() { ["requestId"] = id });
        Assert.Equal("/products", summary.GetProperty("path").GetString());
        Assert.Equal(200, summary.GetProperty("statusCode").GetInt32());
        var sqlEntry = summary.GetProperty("panels").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "sql");
        Assert.Equal("warning", sqlEntry.GetProperty("status").GetString());

        var sql = await CallAsync(mcp, "get_panel_data", new() { ["requestId"] = id, ["panel"] = "sql" });
        Assert.Equal(api.GetProperty("panels").GetProperty("sql").GetProperty("count").GetInt32(), sql.GetProperty("count").GetInt32());
        Assert.Equal(11, sql.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Sql_n_plus_one_reports_the_products_page_group_with_its_call_site()
    {
        using var http = _factory.CreateClient();
        var id = (await http.GetAsync("/products")).Headers.GetValues("X-Toolbar-Id").Single();
        await using var mcp = await ConnectAsync();

        var answer = await CallAsync(mcp, "sql_n_plus_one", new() { ["requestId"] = id });
        var request = Assert.Single(answer.GetProperty("requests").EnumerateArray());
        Assert.Equal(id, request.GetProperty("requestId").GetString());
        var group = Assert.Single(request.GetProperty("groups").EnumerateArray());
        Assert.Equal(10, group.GetProperty("count").GetInt32());
        Assert.Contains("Categories", group.GetProperty("sql").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Slow_queries_are_sorted_by_duration()
    {
        using var http = _factory.CreateClient();
        var id = (await http.GetAsync("/products")).Headers.GetValues("X-Toolbar-Id").Single();
        await using var mcp = await ConnectAsync();

        var answer = await CallAsync(mcp, "sql_slow_queries", new() { ["requestId"] = id, ["limit"] = 200 });
        var durations = answer.GetProperty("queries").EnumerateArray().Select(q => q.GetProperty("durationMs").GetDouble()).ToList();
        Assert.Equal(11, durations.Count);
        Assert.Equal(durations.OrderByDescending(d => d), durations);
    }

    [Fact]
    public async Task Get_exceptions_returns_the_failure_with_app_frames()
    {
        using var http = _factory.CreateClient();
        var id = (await http.GetAsync("/error")).Headers.GetValues("X-Toolbar-Id").Single();
        await using var mcp = await ConnectAsync();

        var answer = await CallAsync(mcp, "get_exceptions", new() { ["requestId"] = id });
        var request = Assert.Single(answer.GetProperty("requests").EnumerateArray());
        var exception = request.GetProperty("exceptions").EnumerateArray().First();
        Assert.Equal("System.InvalidOperationException", exception.GetProperty("type").GetString());
        Assert.Contains("thrown on purpose", exception.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(exception.GetProperty("stack").EnumerateArray(), f => f.ToString().Contains("ThrowSampleError", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Test_route_uses_the_apps_matcher()
    {
        await using var mcp = await ConnectAsync();

        var hit = await CallAsync(mcp, "test_route", new() { ["path"] = "/products/7" });
        Assert.Equal("/products/{id:int}", hit.GetProperty("matched").GetProperty("pattern").GetString());
        var miss = await CallAsync(mcp, "test_route", new() { ["path"] = "/products/seven" });
        Assert.Equal(JsonValueKind.Null, miss.GetProperty("matched").ValueKind);
    }

    [Fact]
    public async Task Unknown_records_and_bad_arguments_are_tool_errors_the_agent_can_read()
    {
        await using var mcp = await ConnectAsync();

        var unknown = await mcp.CallToolAsync("get_request", new Dictionary<string, object?> { ["requestId"] = "0123456789abcdef0123456789abcdef" });
        Assert.True(unknown.IsError);
        Assert.Contains("list_requests", Text(unknown), StringComparison.Ordinal);

        var badLimit = await mcp.CallToolAsync("list_requests", new Dictionary<string, object?> { ["limit"] = 1000 });
        Assert.True(badLimit.IsError);
        Assert.Contains("limit", Text(badLimit), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_stay_masked_through_mcp()
    {
        using var http = _factory.CreateClient();
        var id = (await http.GetAsync("/products?password=hunter2-mcp")).Headers.GetValues("X-Toolbar-Id").Single();
        await using var mcp = await ConnectAsync();

        foreach (var (tool, args) in new (string, Dictionary<string, object?>)[]
        {
            ("list_requests", new() { ["limit"] = 100 }),
            ("get_request", new() { ["requestId"] = id }),
            ("get_record", new() { ["requestId"] = id }),
            ("get_panel_data", new() { ["requestId"] = id, ["panel"] = "request" }),
        })
        {
            var result = await mcp.CallToolAsync(tool, args);
            Assert.False(result.IsError);
            Assert.DoesNotContain("hunter2-mcp", Text(result), StringComparison.Ordinal);
        }
    }

    internal static async Task<JsonElement> CallAsync(McpClient mcp, string tool, Dictionary<string, object?> arguments)
    {
        var result = await mcp.CallToolAsync(tool, arguments);
        Assert.False(result.IsError, Text(result));
        using var document = JsonDocument.Parse(Text(result));
        return document.RootElement.Clone();
    }

    internal static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private Task<McpClient> ConnectAsync(Dictionary<string, string>? headers = null) => McpConnection.ConnectAsync(_factory, headers);
}
