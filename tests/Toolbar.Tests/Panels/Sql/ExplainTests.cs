using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Sql;

/// <summary><c>POST /_toolbar/panels/sql/explain</c>: plans for stored SELECTs only.</summary>
public sealed class ExplainTests : IClassFixture<SampleAppFactory>
{
    private const string Url = "/_toolbar/panels/sql/explain";
    private readonly SampleAppFactory _factory;

    public ExplainTests(SampleAppFactory factory) => _factory = factory;

    private static HttpRequestMessage Post(string json, bool withHeader = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (withHeader)
        {
            request.Headers.Add("X-Toolbar-Request", "1");
        }

        return request;
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;

    [Fact]
    public async Task Explain_returns_the_sqlite_plan_of_a_stored_select()
    {
        var client = _factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var response = await client.SendAsync(Post($$"""{"requestId":"{{id}}","index":1}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var plan = body.GetProperty("plan").EnumerateArray().ToList();
        Assert.NotEmpty(plan);
        // SQLite answers EXPLAIN QUERY PLAN with (id, parent, notused, detail); the category lookup (alias c) is by primary key.
        Assert.Equal(["id", "parent", "notused", "detail"], body.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("SEARCH c USING INTEGER PRIMARY KEY (rowid=?)", Assert.Single(plan).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Explain_rolls_back_and_leaves_the_data_unchanged()
    {
        var client = _factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var response = await client.SendAsync(Post($$"""{"requestId":"{{id}}","index":0}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, after) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        Assert.Equal(11, after.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Explain_refuses_a_non_select_index()
    {
        using var db = new SqlTestDatabase();
        await using var app = await SqlTestDatabase.StartAppAsync(async _ =>
        {
            await using var connection = db.Open();
            await connection.ExecuteAsync("DELETE FROM Items WHERE Id = 3");
        });
        var (id, _) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        var response = await app.Client.SendAsync(Post($$"""{"requestId":"{{id}}","index":0}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("EXPLAIN is only offered for a single SELECT statement.", await ErrorOf(response));
        await using var check = db.Open();
        Assert.Equal(2L, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM Items"));
    }

    [Fact]
    public async Task Explain_refuses_a_select_that_hides_a_commit_and_an_insert_behind_a_comment()
    {
        using var db = new SqlTestDatabase();
        const string Hostile = "SELECT 1 /* don't */ ; COMMIT; INSERT INTO Items (Id, Name) VALUES (9, 'nine')";
        await using var app = await SqlTestDatabase.StartAppAsync(async _ =>
        {
            // Run by the app, SQLite stops at the COMMIT (no transaction is active), so the INSERT never runs here.
            await using var connection = db.Open();
            await using var command = connection.CreateCommand();
            command.CommandText = Hostile;
            await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => command.ExecuteNonQueryAsync());
        });
        var (id, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        var query = sql.GetProperty("queries")[0];
        Assert.Equal(Hostile, query.GetProperty("sql").GetString());
        Assert.False(query.GetProperty("isSelect").GetBoolean());
        Assert.Equal(3, query.GetProperty("statementCount").GetInt32());
        var response = await app.Client.SendAsync(Post($$"""{"requestId":"{{id}}","index":0}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("EXPLAIN is only offered for a single SELECT statement.", await ErrorOf(response));
        await using var check = db.Open();
        Assert.Equal(3L, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM Items"));
    }

    [Fact]
    public async Task Explain_answers_a_tree_and_a_raw_view_besides_the_plan_rows()
    {
        var client = _factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var response = await client.SendAsync(Post($$"""{"requestId":"{{id}}","index":1}"""));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("sqlite-eqp", body.GetProperty("format").GetString());
        var node = Assert.Single(body.GetProperty("tree").EnumerateArray());
        Assert.Equal("SEARCH", node.GetProperty("nodeType").GetString());
        Assert.Equal("c", node.GetProperty("relation").GetString());
        Assert.EndsWith("SEARCH c USING INTEGER PRIMARY KEY (rowid=?)", body.GetProperty("raw").GetString(), StringComparison.Ordinal);
        Assert.False(body.GetProperty("executed").GetBoolean());
    }

    [Fact]
    public async Task Explain_refuses_analyze_of_the_wrong_type()
    {
        var client = _factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var response = await client.SendAsync(Post($$"""{"requestId":"{{id}}","index":1,"analyze":"yes"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Explain_refuses_an_unknown_request_id()
    {
        var response = await _factory.CreateClient().SendAsync(Post("""{"requestId":"00000000000000000000000000000000","index":0}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("No stored request has this id.", await ErrorOf(response));
    }

    [Fact]
    public async Task Explain_refuses_an_index_out_of_range()
    {
        var client = _factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var response = await client.SendAsync(Post($$"""{"requestId":"{{id}}","index":11}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Explain_refuses_a_request_without_the_toolbar_header()
    {
        var client = _factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var response = await client.SendAsync(Post($$"""{"requestId":"{{id}}","index":1}""", withHeader: false));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Explain_refuses_a_body_that_carries_sql()
    {
        var client = _factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var response = await client.SendAsync(Post($$"""{"requestId":"{{id}}","index":1,"sql":"DELETE FROM Products"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("never runs SQL sent by the client", await ErrorOf(response), StringComparison.Ordinal);
        var products = await client.GetFromJsonAsync<JsonElement>("/api/products");
        Assert.Equal(50, products.GetArrayLength());
    }

    [Fact]
    public async Task Explain_refuses_a_body_that_is_not_json()
    {
        var response = await _factory.CreateClient().SendAsync(Post("SELECT 1"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
