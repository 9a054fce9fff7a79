using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Toolbar;

namespace SampleApp.Data;

/// <summary>
/// Which database the sample runs on: <c>Sample:Database</c> = <c>sqlite</c> (default), <c>postgres</c> or <c>mysql</c>
/// (MySQL or MariaDB), with <c>ConnectionStrings:Main</c>. EF Core uses Npgsql's provider for PostgreSQL and Oracle's
/// MySql.EntityFrameworkCore for MySQL/MariaDB; raw ADO.NET uses Npgsql and MySqlConnector.
/// </summary>
public sealed class SampleDatabase
{
    private SampleDatabase(string kind, string connectionString)
    {
        Kind = kind;
        ConnectionString = connectionString;
    }

    /// <summary><c>sqlite</c>, <c>postgres</c> or <c>mysql</c>.</summary>
    public string Kind { get; }

    public string ConnectionString { get; }

    public static SampleDatabase From(IConfiguration configuration)
    {
        var kind = (configuration["Sample:Database"] ?? "sqlite").Trim().ToLowerInvariant();
        var connectionString = configuration.GetConnectionString("Main");
        return kind switch
        {
            "sqlite" or "" => new("sqlite", connectionString ?? "Data Source=sample.db"),
            "postgres" or "postgresql" => new("postgres", connectionString ?? throw new InvalidOperationException("Sample:Database=postgres needs ConnectionStrings:Main (e.g. Host=127.0.0.1;Username=postgres;Database=sample).")),
            "mysql" or "mariadb" => new("mysql", connectionString ?? throw new InvalidOperationException("Sample:Database=mysql needs ConnectionStrings:Main (e.g. Server=127.0.0.1;User ID=root;Password=...;Database=sample).")),
            _ => throw new InvalidOperationException($"Sample:Database must be sqlite, postgres or mysql, not '{kind}'."),
        };
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        _ = Kind switch
        {
            "postgres" => options.UseNpgsql(ConnectionString),
            "mysql" => options.UseMySQL(ConnectionString),
            _ => options.UseSqlite(ConnectionString),
        };
    }

    /// <summary>A new connection of the database's ADO.NET provider (not opened).</summary>
    public DbConnection CreateConnection() => Kind switch
    {
        "postgres" => new NpgsqlConnection(ConnectionString),
        "mysql" => new MySqlConnector.MySqlConnection(ConnectionString),
        _ => new SqliteConnection(ConnectionString),
    };

    /// <summary>A new connection whose commands show in the toolbar's SQL panel (not opened).</summary>
    public ProfiledDbConnection CreateProfiled() => new(CreateConnection());

    /// <summary>A table or column name quoted for the dialect (EF Core's PostgreSQL tables keep their case, so need quotes there).</summary>
    public string Quote(string name) => Kind switch
    {
        "postgres" => $"\"{name}\"",
        "mysql" => $"`{name}`",
        _ => $"\"{name}\"",
    };

    /// <summary>The products with their category for a LIKE pattern (parameter <c>@pattern</c>), at most 10.</summary>
    public string RawProductsSql =>
        $"SELECT p.{Quote("Id")} AS Id, p.{Quote("Name")} AS Name, c.{Quote("Name")} AS Category FROM {Quote("Products")} AS p JOIN {Quote("Categories")} AS c ON c.{Quote("Id")} = p.{Quote("CategoryId")} WHERE p.{Quote("Name")} LIKE @pattern ORDER BY p.{Quote("Id")} LIMIT 10";
}
