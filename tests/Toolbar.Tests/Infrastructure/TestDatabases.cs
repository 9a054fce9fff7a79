using System.Data.Common;

namespace Toolbar.Tests.Infrastructure;

/// <summary>
/// The real database servers the SQL tests run against, named by environment variables that tests/servers.sh prints
/// (test.sh starts the servers). A test that needs a server fails, never skips, when its variable is missing.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "TOOLBAR_TEST_POSTGRES";
    public const string MySqlVariable = "TOOLBAR_TEST_MYSQL";

    /// <summary>The connection string of the server's administrative database for <c>postgres</c> or <c>mysql</c>.</summary>
    public static string Admin(string kind)
    {
        var variable = kind == "postgres" ? PostgresVariable : MySqlVariable;
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException($"{variable} is not set: the {kind} tests need a running server. Run ./test.sh, or eval \"$(tests/servers.sh start)\" before dotnet test.")
            : value;
    }

    /// <summary>A connection string for a new database of its own on the server (created by whoever connects first with EF Core's EnsureCreated).</summary>
    public static string NewDatabase(string kind)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = Admin(kind) };
        builder["Database"] = $"toolbar_{Guid.NewGuid():N}"[..20];
        return builder.ConnectionString;
    }

    /// <summary>Opens an ADO.NET connection (Npgsql or MySqlConnector) to <paramref name="connectionString"/>.</summary>
    public static DbConnection Open(string kind, string connectionString)
    {
        DbConnection connection = kind == "postgres" ? new Npgsql.NpgsqlConnection(connectionString) : new MySqlConnector.MySqlConnection(connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>Drops the database of <paramref name="connectionString"/>, closing its pooled connections first.</summary>
    public static void Drop(string kind, string? connectionString)
    {
        // TryGetValue: the builder's indexer throws for a missing keyword.
        var name = new DbConnectionStringBuilder { ConnectionString = connectionString ?? "" }.TryGetValue("Database", out var database) ? database?.ToString() : null;
        if (string.IsNullOrEmpty(name) || !name.StartsWith("toolbar_", StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            if (kind == "postgres")
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
            }
            else
            {
                MySqlConnector.MySqlConnection.ClearAllPools();
                MySql.Data.MySqlClient.MySqlConnection.ClearAllPools();
            }

            using var connection = Open(kind, Admin(kind));
            using var command = connection.CreateCommand();
            command.CommandText = kind == "postgres" ? $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)" : $"DROP DATABASE IF EXISTS `{name}`";
            command.ExecuteNonQuery();
        }
        catch (DbException)
        {
            // The server goes away with its temporary directory anyway.
        }
    }
}
