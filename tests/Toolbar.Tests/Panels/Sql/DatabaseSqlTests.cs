using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Toolbar.Panels.Sql;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Sql;

/// <summary>
/// The SQL panel end to end on one database: the sample app runs on it (a database of its own on the real
/// server for PostgreSQL and MariaDB), and every figure is checked against what the database itself says.
/// </summary>
public abstract class DatabaseSqlTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : SampleAppFactory
{
    protected TFactory Factory { get; } = factory;

    /// <summary>Namespace of the EF Core provider's commands.</summary>
    protected abstract string EfProvider { get; }

    /// <summary>Namespace of the raw ADO.NET provider's commands (/products/raw, /sql/tour).</summary>
    protected abstract string RawProvider { get; }

    /// <summary>Quotes a table or column name the way the sample's schema needs it.</summary>
    protected abstract string Quote(string name);

    protected static async Task<JsonElement> ExplainAsync(HttpClient client, string requestId, int index, bool analyze = false, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_toolbar/panels/sql/explain")
        {
            Content = new StringContent(analyze ? $$"""{"requestId":"{{requestId}}","index":{{index}},"analyze":true}""" : $$"""{"requestId":"{{requestId}}","index":{{index}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Toolbar-Request", "1");
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    protected static IEnumerable<JsonElement> Nodes(JsonElement tree)
    {
        foreach (var node in tree.EnumerateArray())
        {
            yield return node;
            foreach (var child in Nodes(node.GetProperty("children")))
            {
                yield return child;
            }
        }
    }

    protected static JsonElement QueryWith(JsonElement sql, string part) =>
        sql.GetProperty("queries").EnumerateArray().Single(q => q.GetProperty("sql").GetString()!.Contains(part, StringComparison.Ordinal));

    [Fact]
    public async Task Products_page_records_eleven_queries_with_one_n_plus_one_group()
    {
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(Factory.CreateClient(), "/products");
        Assert.Equal(11, sql.GetProperty("count").GetInt32());
        var queries = sql.GetProperty("queries").EnumerateArray().ToList();
        Assert.Equal(11, queries.Count);
        Assert.All(queries, q => Assert.Equal(EfProvider, q.GetProperty("provider").GetString()));
        var group = Assert.Single(sql.GetProperty("nPlusOne").EnumerateArray());
        Assert.Equal(10, group.GetProperty("count").GetInt32());
        Assert.Equal(Enumerable.Range(1, 10), group.GetProperty("indexes").EnumerateArray().Select(i => i.GetInt32()));
    }

    [Fact]
    public async Task Parameters_are_recorded_with_their_values_and_types()
    {
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(Factory.CreateClient(), "/products?q=Product%201");
        var queries = sql.GetProperty("queries").EnumerateArray().ToList();
        // The list query binds the search term (and, for Take(10), the limit).
        var search = queries[0].GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("value").GetString()!.Contains("Product", StringComparison.Ordinal));
        Assert.Contains("Product 1", search.GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Equal("String", search.GetProperty("type").GetString());
        var id = queries[1].GetProperty("parameters").EnumerateArray().Single();
        Assert.Equal("1", id.GetProperty("value").GetString());
        Assert.Equal("Int32", id.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Raw_products_page_records_one_dapper_query_through_the_profiled_connection()
    {
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(Factory.CreateClient(), "/products/raw?q=Product%201");
        Assert.Equal(1, sql.GetProperty("count").GetInt32());
        var query = sql.GetProperty("queries")[0];
        Assert.Equal("ADO.NET", query.GetProperty("source").GetString());
        Assert.Equal(RawProvider, query.GetProperty("provider").GetString());
        Assert.Equal("%Product 1%", query.GetProperty("parameters")[0].GetProperty("value").GetString());
        // Product 1 and Product 10..19 match; LIMIT 10 keeps ten.
        Assert.Equal(10, query.GetProperty("rowsRead").GetInt32());
    }

    [Fact]
    public async Task Failing_statement_records_its_error_and_the_servers_error_code()
    {
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(Factory.CreateClient(), "/sql/tour");
        var failed = QueryWith(sql, "no_such_table");
        Assert.Contains("no_such_table", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, sql.GetProperty("errorCount").GetInt32());
        AssertServerErrorCode(failed);
    }

    /// <summary>The server's own code for "no such table".</summary>
    protected abstract void AssertServerErrorCode(JsonElement failed);

    [Fact]
    public async Task Batch_of_two_statements_is_one_command_with_two_statements()
    {
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(Factory.CreateClient(), "/sql/tour");
        var batch = QueryWith(sql, "; SELECT COUNT(*)");
        Assert.Equal(2, batch.GetProperty("statementCount").GetInt32());
        Assert.False(batch.GetProperty("isSelect").GetBoolean());
        Assert.Null(batch.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Function_or_procedure_call_is_captured_with_its_parameter_and_runnable_form()
    {
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(Factory.CreateClient(), "/sql/tour");
        var call = sql.GetProperty("queries").EnumerateArray().SingleOrDefault(q => q.GetProperty("sql").GetString()!.Contains("product_count", StringComparison.Ordinal));
        if (Dialect == SqlDialect.Sqlite)
        {
            // SQLite has no routines to call; the tour says so and runs none.
            Assert.Equal(JsonValueKind.Undefined, call.ValueKind);
            return;
        }

        Assert.Null(call.GetProperty("error").GetString());
        Assert.Equal("3", call.GetProperty("parameters")[0].GetProperty("value").GetString());
        AssertCall(call);
    }

    /// <summary>PostgreSQL calls a function in a SELECT; MariaDB a stored procedure by name.</summary>
    protected virtual void AssertCall(JsonElement call)
    {
    }

    [Fact]
    public async Task Transactions_show_their_outcome_and_the_queries_inside()
    {
        var client = Factory.CreateClient();
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(client, "/sql/tour");
        var transactions = sql.GetProperty("transactions").EnumerateArray().ToList();
        Assert.Equal(2, transactions.Count);
        var insert = QueryWith(sql, "INSERT INTO");
        var efTransaction = transactions[0];
        Assert.Equal("EF Core", efTransaction.GetProperty("source").GetString());
        Assert.Equal("rolledBack", efTransaction.GetProperty("outcome").GetString());
        var inside = efTransaction.GetProperty("queryIndexes").EnumerateArray().Select(i => i.GetInt32()).ToList();
        Assert.Equal([0, 1], inside);
        Assert.Equal(insert.GetProperty("index").GetInt32(), inside[0]);
        Assert.True(efTransaction.GetProperty("durationMs").GetDouble() >= 0);
        var adoTransaction = transactions[1];
        Assert.Equal("ADO.NET", adoTransaction.GetProperty("source").GetString());
        Assert.Equal("committed", adoTransaction.GetProperty("outcome").GetString());
        var update = QueryWith(sql, "UPDATE ");
        Assert.Equal([update.GetProperty("index").GetInt32()], adoTransaction.GetProperty("queryIndexes").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal(2, update.GetProperty("transactionId").GetInt32());
        // Outside any transaction: the failing statement, the batch and the call.
        Assert.Equal(JsonValueKind.Null, QueryWith(sql, "no_such_table").GetProperty("transactionId").ValueKind);

        // The rollback really happened: the database has no category 1000.
        var products = await client.GetFromJsonAsync<JsonElement>("/api/products");
        Assert.Equal(50, products.GetArrayLength());
        Assert.Equal(0L, await ScalarAsync($"SELECT COUNT(*) FROM {Quote("Categories")} WHERE {Quote("Id")} = 1000"));
    }

    [Fact]
    public async Task Explain_shows_a_plan_tree_with_the_relation_and_a_raw_view()
    {
        var client = Factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var body = await ExplainAsync(client, id, 1);
        Assert.NotEmpty(body.GetProperty("plan").EnumerateArray());
        var nodes = Nodes(body.GetProperty("tree")).ToList();
        Assert.NotEmpty(nodes);
        Assert.Contains(nodes, n => n.TryGetProperty("relation", out var r) && r.GetString() is "Categories" or "c");
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("raw").GetString()));
        Assert.False(body.GetProperty("executed").GetBoolean());
        AssertPlan(body, nodes);
    }

    /// <summary>What this database's plan of "the category with this id" must say.</summary>
    protected abstract void AssertPlan(JsonElement body, List<JsonElement> nodes);

    [Fact]
    public async Task Explain_is_refused_for_a_statement_that_is_not_one_select()
    {
        var client = Factory.CreateClient();
        var (id, sql) = await SqlTestDatabase.GetSqlAsync(client, "/sql/tour");
        foreach (var part in new[] { "UPDATE ", "; SELECT COUNT(*)", "INSERT INTO" })
        {
            var index = QueryWith(sql, part).GetProperty("index").GetInt32();
            var refused = await ExplainAsync(client, id, index, expected: HttpStatusCode.BadRequest);
            Assert.Equal("EXPLAIN is only offered for a single SELECT statement.", refused.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Runnable_sql_runs_on_the_database_and_returns_the_same_rows_as_the_parameterized_statement()
    {
        // "Product 7" matches one product: the list query and its category's query, both with a parameter.
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(Factory.CreateClient(), "/products?q=Product%207");
        var queries = sql.GetProperty("queries").EnumerateArray().ToList();
        Assert.Equal(2, queries.Count);
        foreach (var query in queries)
        {
            var runnable = query.GetProperty("sqlRunnable").GetString()!;
            Assert.DoesNotContain("@", runnable, StringComparison.Ordinal);
            var parameters = query.GetProperty("parameters").EnumerateArray()
                .Select(p => (p.GetProperty("name").GetString()!, (object)(p.GetProperty("type").GetString() == "Int32" ? int.Parse(p.GetProperty("value").GetString()!, CultureInfo.InvariantCulture) : p.GetProperty("value").GetString()!)))
                .ToList();
            var expected = await RowsAsync(query.GetProperty("sql").GetString()!, parameters);
            var actual = await RowsAsync(runnable, []);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>Values of every kind, bound as parameters and written as literals, must read back the same.</summary>
    public static TheoryData<string, object?> Values() => new()
    {
        { "quote", "it's a \"test\" \\ with backslash \\' and ; semicolon -- and /* comment */ and ünïcödé" },
        { "null", null },
        { "true", true },
        { "false", false },
        { "int", 42 },
        { "long", -9_007_199_254_740_993L },
        { "decimal", 12345.6789m },
        { "double", 0.1 },
        { "date", new DateTime(2024, 2, 29, 13, 45, 7, 123) },
        { "binary", new byte[] { 0x00, 0x01, 0x27, 0x5C, 0xFF } },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task Runnable_literal_reads_back_as_the_bound_value(string name, object? value)
    {
        _ = Factory.CreateClient();
        var dialect = Dialect;
        var literal = SqlRunnable.Literal(value, dialect);
        var bound = await RowsAsync(SelectValueSql("@v"), [("@v", value ?? DBNull.Value)]);
        var inlined = await RowsAsync(SelectValueSql(literal), []);
        Assert.True(bound.SequenceEqual(inlined), $"{name}: bound {string.Join(",", bound)} but {literal} gave {string.Join(",", inlined)}");
    }

    internal abstract SqlDialect Dialect { get; }

    /// <summary>Connection types EXPLAIN may reconnect with on this database (the EF Core provider's and the raw one's).</summary>
    protected abstract Type[] ConnectionTypes { get; }

    [Fact]
    public async Task Explain_analyze_runs_the_select_and_reports_actual_rows_or_is_refused()
    {
        var client = Factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        if (Dialect == SqlDialect.Sqlite)
        {
            var refused = await ExplainAsync(client, id, 0, analyze: true, expected: HttpStatusCode.BadRequest);
            Assert.Equal("EXPLAIN ANALYZE is offered for PostgreSQL and MySQL/MariaDB only.", refused.GetProperty("error").GetString());
            return;
        }

        // The product list: the first 10 products by id, so the scan really returned 10 rows at the top.
        var body = await ExplainAsync(client, id, 0, analyze: true);
        Assert.True(body.GetProperty("executed").GetBoolean());
        Assert.True(body.GetProperty("analyze").GetBoolean());
        var nodes = Nodes(body.GetProperty("tree")).ToList();
        Assert.Contains(nodes, n => n.TryGetProperty("actualRows", out var rows) && rows.GetDouble() >= 10);
        Assert.Contains(nodes, n => n.TryGetProperty("actualTimeMs", out var time) && time.GetDouble() >= 0);
    }

    /// <summary>A statement that smuggles a write after a SELECT: the tokenizer refuses it; here it is sent anyway.</summary>
    protected virtual string SmuggledWrite(int id) =>
        $"SELECT 1 /* don't */ ; COMMIT; INSERT INTO {Quote("Categories")} ({Quote("Id")}, {Quote("Name")}) VALUES ({id}, 'written by EXPLAIN')";

    [Fact]
    public async Task Explain_cannot_write_even_when_the_one_select_check_is_bypassed()
    {
        // The app's database exists once the app has started.
        _ = Factory.CreateClient();
        var id = 4000;
        foreach (var type in ConnectionTypes)
        {
            foreach (var sql in new[] { SmuggledWrite(id), $"SELECT 1; INSERT INTO {Quote("Categories")} ({Quote("Id")}, {Quote("Name")}) VALUES ({id + 1}, 'x')" })
            {
                Assert.False(SqlText.IsSingleSelect(sql, Dialect));
                var target = new SqlConnectionTarget(type, Factory.ConnectionString);
                try
                {
                    await SqlExplain.RunAsync(target, Dialect, sql, [], analyze: false, CancellationToken.None);
                }
                catch (Exception ex) when (ex is DbException or InvalidOperationException or JsonException)
                {
                    // The database refused (read-only) or the plan could not be read: either way, nothing may have been written.
                }
            }

            id += 10;
        }

        Assert.Equal(0L, await ScalarAsync($"SELECT COUNT(*) FROM {Quote("Categories")} WHERE {Quote("Id")} >= 4000"));
        Assert.Equal(10L, await ScalarAsync($"SELECT COUNT(*) FROM {Quote("Categories")}"));
    }

    /// <summary>A SELECT of one value (casts where the database needs a type for a bare parameter).</summary>
    protected virtual string SelectValueSql(string value) => $"SELECT {value}";

    /// <summary>Opens the app's database with the raw ADO.NET provider.</summary>
    protected abstract DbConnection OpenDatabase();

    protected async Task<long> ScalarAsync(string sql)
    {
        await using var connection = OpenDatabase();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Every row of <paramref name="sql"/> as text, in order.</summary>
    protected async Task<List<string>> RowsAsync(string sql, List<(string Name, object Value)> parameters)
    {
        await using var connection = OpenDatabase();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var cells = new List<string>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                cells.Add(reader.IsDBNull(i) ? "NULL" : reader.GetValue(i) switch
                {
                    byte[] bytes => Convert.ToHexString(bytes),
                    DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    var other => other.ToString()!,
                });
            }

            rows.Add(string.Join("|", cells));
        }

        return rows;
    }
}
