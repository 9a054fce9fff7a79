using System.Net.Http.Json;
using System.Text.Json;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Sql;

/// <summary>The sample app's /products page: a known number of EF Core queries, captured with no code in the app.</summary>
public sealed class ProductsQueriesTests : IClassFixture<SampleAppFactory>
{
    private readonly SampleAppFactory _factory;

    public ProductsQueriesTests(SampleAppFactory factory) => _factory = factory;

    [Fact]
    public async Task Products_page_records_exactly_eleven_queries()
    {
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(_factory.CreateClient(), "/products");
        Assert.Equal(11, sql.GetProperty("count").GetInt32());
        Assert.Equal(11, sql.GetProperty("queries").GetArrayLength());
        Assert.All(sql.GetProperty("queries").EnumerateArray(), q => Assert.True(q.GetProperty("durationMs").GetDouble() > 0));
        Assert.All(sql.GetProperty("queries").EnumerateArray(), q => Assert.Equal("EF Core", q.GetProperty("source").GetString()));
        Assert.All(sql.GetProperty("queries").EnumerateArray(), q => Assert.Equal("Microsoft.Data.Sqlite", q.GetProperty("provider").GetString()));
    }

    [Fact]
    public async Task Products_page_records_eleven_queries_with_the_timing_panel_off()
    {
        // The SQL and timing panels share one subscription to EF Core's events.
        await using var factory = new SampleAppFactory();
        factory.Settings["Toolbar:DisabledPanels:0"] = "timing";
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(factory.CreateClient(), "/products");
        Assert.Equal(11, sql.GetProperty("count").GetInt32());
        Assert.All(sql.GetProperty("queries").EnumerateArray(), q => Assert.True(q.GetProperty("durationMs").GetDouble() > 0));
    }

    [Fact]
    public async Task Detects_one_n_plus_one_group_of_ten()
    {
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(_factory.CreateClient(), "/products");
        var group = Assert.Single(sql.GetProperty("nPlusOne").EnumerateArray());
        Assert.Equal(10, group.GetProperty("count").GetInt32());
        Assert.Contains("Categories", group.GetProperty("sql").GetString(), StringComparison.Ordinal);
        Assert.Equal("SampleApp.Pages.ProductsModel.OnGetAsync", group.GetProperty("callSite").GetString());
        var queries = sql.GetProperty("queries").EnumerateArray().ToList();
        Assert.Equal(0, queries[0].GetProperty("similarCount").GetInt32());
        Assert.All(queries.Skip(1), q => Assert.Equal(9, q.GetProperty("similarCount").GetInt32()));
        Assert.All(queries, q => Assert.Equal(0, q.GetProperty("duplicateCount").GetInt32()));
    }

    [Fact]
    public async Task Queries_are_listed_in_order_with_indexes_and_parameters()
    {
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(_factory.CreateClient(), "/products");
        var queries = sql.GetProperty("queries").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, 11), queries.Select(q => q.GetProperty("index").GetInt32()));
        // The product list yields categories 1..10 in order: each category query binds the next id.
        var categoryIds = queries.Skip(1).Select(q => q.GetProperty("parameters")[0].GetProperty("value").GetString());
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), categoryIds);
        Assert.True(queries.Zip(queries.Skip(1)).All(p => p.First.GetProperty("startMs").GetDouble() <= p.Second.GetProperty("startMs").GetDouble()));
    }

    [Fact]
    public async Task Fixed_products_page_records_one_query()
    {
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(_factory.CreateClient(), "/products?fixed=true");
        Assert.Equal(1, sql.GetProperty("count").GetInt32());
        Assert.Empty(sql.GetProperty("nPlusOne").EnumerateArray());
        Assert.Contains("JOIN", sql.GetProperty("queries")[0].GetProperty("sql").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_timing_reports_the_database_time_and_query_count()
    {
        var response = await _factory.CreateClient().GetAsync("/products");
        var timing = string.Join(", ", response.Headers.GetValues("Server-Timing"));
        Assert.Matches("db;dur=[0-9.]+;desc=\"11 queries\"", timing);
    }

    [Fact]
    public async Task Nav_subtitle_names_the_n_plus_one_and_status_is_warning()
    {
        var client = _factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var nav = await client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/requests/{id}/toolbar");
        var sqlNav = nav.GetProperty("panels").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "sql");
        Assert.Matches("^11 queries, [0-9]+\\.[0-9] ms, N\\+1$", sqlNav.GetProperty("subtitle").GetString());
        Assert.Equal("warning", sqlNav.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Page_without_sql_has_no_db_server_timing()
    {
        var response = await _factory.CreateClient().GetAsync("/big?kb=1");
        Assert.DoesNotContain("db;", string.Join(", ", response.Headers.GetValues("Server-Timing")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raw_ado_products_page_records_one_profiled_query()
    {
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(_factory.CreateClient(), "/products/raw?q=Product%201");
        Assert.Equal(1, sql.GetProperty("count").GetInt32());
        var query = sql.GetProperty("queries")[0];
        Assert.Equal("ADO.NET", query.GetProperty("source").GetString());
        Assert.Equal("%Product 1%", query.GetProperty("parameters")[0].GetProperty("value").GetString());
        // Product 1 and Product 10..19 match; LIMIT 10 keeps ten.
        Assert.Equal(10, query.GetProperty("rowsRead").GetInt32());
    }

    [Fact]
    public async Task Panel_html_lists_every_query_with_an_explain_button_per_select()
    {
        var client = _factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var html = await client.GetStringAsync($"/_toolbar/requests/{id}/panels/sql");
        Assert.Equal(11, CountOf(html, "data-sql-index=\""));
        Assert.Equal(11, CountOf(html, "data-sql-explain=\""));
        Assert.Equal(1, CountOf(html, "data-sql-nplusone"));
        Assert.Equal(10, CountOf(html, ">N+1</span>"));
    }

    [Fact]
    public async Task Panel_html_encodes_hostile_parameter_values()
    {
        var client = _factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products?q=" + Uri.EscapeDataString("</script><img src=x onerror=alert(1)>"));
        var html = await client.GetStringAsync($"/_toolbar/requests/{id}/panels/sql");
        Assert.DoesNotContain("<img src=x", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("</script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_queries_keep_a_thousand_in_detail_and_exact_totals()
    {
        var client = _factory.CreateClient();
        var (id, sql) = await SqlTestDatabase.GetSqlAsync(client, "/many?n=1200");
        Assert.Equal(1200, sql.GetProperty("count").GetInt32());
        Assert.Equal(1000, sql.GetProperty("queries").GetArrayLength());
        Assert.Equal(200, sql.GetProperty("omittedCount").GetInt32());
        var listed = sql.GetProperty("queries").EnumerateArray().Sum(q => q.GetProperty("durationMs").GetDouble());
        Assert.True(sql.GetProperty("durationMs").GetDouble() > listed);
        var html = await client.GetStringAsync($"/_toolbar/requests/{id}/panels/sql");
        Assert.Contains("Only the first 1000 commands are listed; 200 more ran", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_ef_core_requests_never_mix_queries()
    {
        var client = _factory.CreateClient();
        var results = new System.Collections.Concurrent.ConcurrentBag<(int Marker, JsonElement Sql)>();
        // "Product {m}" for m in 6..9 matches exactly one of the 50 products: 1 list query + 1 category query (category m).
        await Parallel.ForEachAsync(Enumerable.Range(6, 4).Concat(Enumerable.Range(6, 4)), async (m, _) =>
        {
            var (_, sql) = await SqlTestDatabase.GetSqlAsync(client, $"/products?q=Product%20{m}");
            results.Add((m, sql));
        });
        Assert.Equal(8, results.Count);
        foreach (var (marker, sql) in results)
        {
            Assert.Equal(2, sql.GetProperty("count").GetInt32());
            var queries = sql.GetProperty("queries").EnumerateArray().ToList();
            Assert.Contains($"Product {marker}", queries[0].GetProperty("parameters")[0].GetProperty("value").GetString(), StringComparison.Ordinal);
            Assert.Equal(marker.ToString(System.Globalization.CultureInfo.InvariantCulture), queries[1].GetProperty("parameters")[0].GetProperty("value").GetString());
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
