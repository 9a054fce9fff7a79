using System.Data.Common;
using System.Text.Json;
using Toolbar.Panels.Sql;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Sql;

/// <summary>The SQL panel on a real MariaDB server (MySql.EntityFrameworkCore for EF Core, MySqlConnector for raw ADO.NET).</summary>
public sealed class MySqlSqlTests(MySqlSampleAppFactory factory) : DatabaseSqlTests<MySqlSampleAppFactory>(factory)
{
    protected override string EfProvider => "MySql.Data.MySqlClient";

    protected override string RawProvider => "MySqlConnector";

    internal override SqlDialect Dialect => SqlDialect.MySql;

    protected override Type[] ConnectionTypes => [typeof(MySql.Data.MySqlClient.MySqlConnection), typeof(MySqlConnector.MySqlConnection)];

    protected override string Quote(string name) => $"`{name}`";

    protected override DbConnection OpenDatabase() => TestDatabases.Open("mysql", Factory.ConnectionString);

    protected override void AssertCall(JsonElement call)
    {
        Assert.Equal("StoredProcedure", call.GetProperty("commandType").GetString());
        Assert.Equal("product_count", call.GetProperty("sql").GetString());
        Assert.Equal("CALL product_count(3)", call.GetProperty("sqlRunnable").GetString());
    }

    protected override void AssertServerErrorCode(JsonElement failed)
    {
        // ER_NO_SUCH_TABLE, SQLSTATE 42S02.
        Assert.Equal(1146, failed.GetProperty("errorNumber").GetInt32());
        Assert.Equal("42S02", failed.GetProperty("errorCode").GetString());
    }

    protected override void AssertPlan(JsonElement body, List<JsonElement> nodes)
    {
        Assert.Equal("mysql-json", body.GetProperty("format").GetString());
        // WHERE c.Id = @id on the primary key: a "const" access through PRIMARY, one row.
        var table = nodes.Single(n => n.TryGetProperty("relation", out var r) && r.GetString() == "c");
        Assert.Equal("const", table.GetProperty("nodeType").GetString());
        Assert.Equal("PRIMARY", table.GetProperty("index").GetString());
        Assert.Equal(1, table.GetProperty("estimatedRows").GetDouble());
        using var raw = JsonDocument.Parse(body.GetProperty("raw").GetString()!);
        Assert.Equal(1, raw.RootElement.GetProperty("query_block").GetProperty("select_id").GetInt32());
    }

    [Fact]
    public async Task Explain_of_a_scan_carries_the_optimizers_cost()
    {
        // MariaDB's JSON plan has no cost; the panel reads the optimizer's total (Last_query_cost) into the root node.
        var client = Factory.CreateClient();
        var (id, _) = await SqlTestDatabase.GetSqlAsync(client, "/products");
        var body = await ExplainAsync(client, id, 0);
        var root = body.GetProperty("tree")[0];
        Assert.True(root.GetProperty("estimatedCost").GetDouble() > 0);
        var products = Nodes(body.GetProperty("tree")).Single(n => n.TryGetProperty("relation", out var r) && r.GetString() == "p");
        Assert.True(products.GetProperty("estimatedRows").GetDouble() >= 10);
    }
}
