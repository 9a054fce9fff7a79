using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Toolbar.Tests.Infrastructure;
using Toolbar.Tests.Panels.Sql;

namespace Toolbar.Tests.Core;

/// <summary>GET /_toolbar/api/compare: two records' differences, checked against the sample's known queries.</summary>
public sealed class CompareTests : IClassFixture<SampleAppFactory>
{
    private readonly SampleAppFactory _factory;

    public CompareTests(SampleAppFactory factory) => _factory = factory;

    [Fact]
    public async Task Products_before_and_after_the_fix_differ_by_ten_queries_and_the_n_plus_one()
    {
        var client = _factory.CreateClient();
        var (a, sqlA) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var (b, sqlB) = await SqlTestDatabase.GetSqlAsync(client, "/products?fixed=true");
        var compare = await client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/compare?a={a}&b={b}");

        Assert.Equal(a, compare.GetProperty("a").GetProperty("id").GetString());
        Assert.Equal(b, compare.GetProperty("b").GetProperty("id").GetString());
        Assert.Equal("?fixed=true", compare.GetProperty("b").GetProperty("queryString").GetString());
        var sql = compare.GetProperty("panels").GetProperty("sql");
        Assert.Equal(11, sql.GetProperty("count").GetProperty("a").GetDouble());
        Assert.Equal(1, sql.GetProperty("count").GetProperty("b").GetDouble());
        Assert.Equal(-10, sql.GetProperty("count").GetProperty("delta").GetDouble());

        // The per-category statement (the second query of /products, run ten times) is gone, and so is its N+1 group.
        var perCategory = Collapse(sqlA.GetProperty("queries")[1].GetProperty("sql").GetString()!);
        var removed = sql.GetProperty("statements").GetProperty("removed").EnumerateArray().ToList();
        var removedCategory = Assert.Single(removed, s => s.GetProperty("sql").GetString() == perCategory);
        Assert.Equal(10, removedCategory.GetProperty("count").GetProperty("a").GetDouble());
        Assert.Equal(0, removedCategory.GetProperty("count").GetProperty("b").GetDouble());
        // The list query changed text (it joins now): removed too, and the JOIN statement is the one added.
        Assert.Equal(2, removed.Count);
        var added = Assert.Single(sql.GetProperty("statements").GetProperty("added").EnumerateArray());
        Assert.Equal(Collapse(sqlB.GetProperty("queries")[0].GetProperty("sql").GetString()!), added.GetProperty("sql").GetString());
        var gone = Assert.Single(sql.GetProperty("nPlusOne").GetProperty("gone").EnumerateArray());
        Assert.Equal(perCategory, gone.GetProperty("sql").GetString());
        Assert.Equal(10, gone.GetProperty("count").GetInt32());
        Assert.Empty(sql.GetProperty("nPlusOne").GetProperty("appeared").EnumerateArray());
    }

    [Fact]
    public async Task Status_and_durations_are_the_records_own()
    {
        var client = _factory.CreateClient();
        var (a, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var (b, _) = await SqlTestDatabase.GetSqlAsync(client, "/products?fixed=true");
        var recordA = await _factory.GetRecordAsync(client, a);
        var recordB = await _factory.GetRecordAsync(client, b);
        var compare = await client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/compare?a={a}&b={b}");

        Assert.Equal(recordA.GetProperty("statusCode").GetInt32(), compare.GetProperty("statusCode").GetProperty("a").GetInt32());
        Assert.Equal(recordB.GetProperty("statusCode").GetInt32(), compare.GetProperty("statusCode").GetProperty("b").GetInt32());
        var durA = recordA.GetProperty("durationMs").GetDouble();
        var durB = recordB.GetProperty("durationMs").GetDouble();
        Assert.Equal(durA, compare.GetProperty("durationMs").GetProperty("a").GetDouble(), 3);
        Assert.Equal(durB, compare.GetProperty("durationMs").GetProperty("b").GetDouble(), 3);
        Assert.Equal(Math.Round(durB - durA, 3), compare.GetProperty("durationMs").GetProperty("delta").GetDouble(), 9);

        var panels = compare.GetProperty("panels");
        var memA = recordA.GetProperty("panels").GetProperty("memory").GetProperty("allocatedBytes").GetDouble();
        var memB = recordB.GetProperty("panels").GetProperty("memory").GetProperty("allocatedBytes").GetDouble();
        Assert.Equal(memB - memA, panels.GetProperty("memory").GetProperty("allocatedBytes").GetProperty("delta").GetDouble());
        var logsA = recordA.GetProperty("panels").GetProperty("logs").GetProperty("total").GetInt32();
        var logsB = recordB.GetProperty("panels").GetProperty("logs").GetProperty("total").GetInt32();
        Assert.Equal(logsB - logsA, panels.GetProperty("logs").GetProperty("total").GetProperty("delta").GetDouble());
        Assert.Equal(0, panels.GetProperty("exceptions").GetProperty("total").GetProperty("delta").GetDouble());

        // Every span name of either record is listed once, with its summed durations.
        var spanNames = recordA.GetProperty("panels").GetProperty("timing").GetProperty("spans").EnumerateArray()
            .Concat(recordB.GetProperty("panels").GetProperty("timing").GetProperty("spans").EnumerateArray())
            .Select(s => s.GetProperty("name").GetString()).Distinct().Order(StringComparer.Ordinal);
        var listed = panels.GetProperty("timing").GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(spanNames, listed);
    }

    [Fact]
    public async Task Unknown_id_is_404_problem_details()
    {
        var client = _factory.CreateClient();
        var (a, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var response = await client.GetAsync($"/_toolbar/api/compare?a={a}&b={new string('0', 32)}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?a=abc")]
    [InlineData("?a=abc&b=%3Cscript%3E")]
    [InlineData("?a=&b=")]
    public async Task Missing_or_invalid_ids_are_400_problem_details(string query)
    {
        var response = await _factory.CreateClient().GetAsync("/_toolbar/api/compare" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_answers_like_get()
    {
        var client = _factory.CreateClient();
        var (a, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var (b, _) = await SqlTestDatabase.GetSqlAsync(client, "/products?fixed=true");
        var ok = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/_toolbar/api/compare?a={a}&b={b}"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var missing = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/_toolbar/api/compare?a={a}&b={new string('1', 32)}"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Compare_is_closed_to_non_loopback_clients()
    {
        await using var factory = new SampleAppFactory { RemoteAddress = IPAddress.Parse("203.0.113.7") };
        var response = await factory.CreateClient().GetAsync($"/_toolbar/api/compare?a={new string('0', 32)}&b={new string('1', 32)}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static string Collapse(string sql) => string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
