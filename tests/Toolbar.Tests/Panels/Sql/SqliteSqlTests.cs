using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Toolbar.Panels.Sql;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Sql;

/// <summary>The same end-to-end SQL checks on the sample's default database, SQLite.</summary>
public sealed class SqliteSqlTests(SampleAppFactory factory) : DatabaseSqlTests<SampleAppFactory>(factory)
{
    protected override string EfProvider => "Microsoft.Data.Sqlite";

    protected override string RawProvider => "Microsoft.Data.Sqlite";

    internal override SqlDialect Dialect => SqlDialect.Sqlite;

    protected override Type[] ConnectionTypes => [typeof(SqliteConnection)];

    protected override string Quote(string name) => $"\"{name}\"";

    protected override DbConnection OpenDatabase()
    {
        var connection = new SqliteConnection(Factory.ConnectionString);
        connection.Open();
        return connection;
    }

    protected override void AssertServerErrorCode(JsonElement failed)
    {
        // SQLITE_ERROR (1): "no such table".
        Assert.Equal(1, failed.GetProperty("errorNumber").GetInt32());
    }

    protected override void AssertPlan(JsonElement body, List<JsonElement> nodes)
    {
        Assert.Equal("sqlite-eqp", body.GetProperty("format").GetString());
        var node = Assert.Single(nodes);
        Assert.Equal("SEARCH", node.GetProperty("nodeType").GetString());
        Assert.Equal("c", node.GetProperty("relation").GetString());
        Assert.Contains("SEARCH c USING INTEGER PRIMARY KEY", body.GetProperty("raw").GetString(), StringComparison.Ordinal);
    }
}
