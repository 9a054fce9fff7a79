using System.Data.Common;
using System.Text.Json;
using Toolbar.Panels.Sql;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Sql;

/// <summary>The SQL panel on a real PostgreSQL server (Npgsql, Npgsql.EntityFrameworkCore.PostgreSQL).</summary>
public sealed class PostgresSqlTests(PostgresSampleAppFactory factory) : DatabaseSqlTests<PostgresSampleAppFactory>(factory)
{
    protected override string EfProvider => "Npgsql";

    protected override string RawProvider => "Npgsql";

    internal override SqlDialect Dialect => SqlDialect.PostgreSql;

    protected override Type[] ConnectionTypes => [typeof(Npgsql.NpgsqlConnection)];

    protected override string Quote(string name) => $"\"{name}\"";

    protected override DbConnection OpenDatabase() => TestDatabases.Open("postgres", Factory.ConnectionString);

    protected override void AssertCall(JsonElement call)
    {
        Assert.Equal("Text", call.GetProperty("commandType").GetString());
        Assert.Equal("SELECT product_count(3)", call.GetProperty("sqlRunnable").GetString());
    }

    protected override void AssertServerErrorCode(JsonElement failed)
    {
        // 42P01: undefined_table.
        Assert.Equal("42P01", failed.GetProperty("errorCode").GetString());
    }

    protected override void AssertPlan(JsonElement body, List<JsonElement> nodes)
    {
        Assert.Equal("postgresql-json", body.GetProperty("format").GetString());
        var scan = nodes.Single(n => n.TryGetProperty("relation", out var r) && r.GetString() == "Categories");
        Assert.Contains("Scan", scan.GetProperty("nodeType").GetString(), StringComparison.Ordinal);
        Assert.True(scan.GetProperty("estimatedRows").GetDouble() >= 1);
        Assert.True(scan.GetProperty("estimatedCost").GetDouble() > 0);
        using var raw = JsonDocument.Parse(body.GetProperty("raw").GetString()!);
        Assert.Equal(nodes[0].GetProperty("nodeType").GetString(), raw.RootElement[0].GetProperty("Plan").GetProperty("Node Type").GetString());
    }
}
