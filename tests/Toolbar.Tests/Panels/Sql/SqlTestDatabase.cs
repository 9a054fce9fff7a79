using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Sql;

/// <summary>A SQLite file with a small table, plus helpers to read the SQL panel's data of a request.</summary>
public sealed class SqlTestDatabase : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"toolbar-sql-{Guid.NewGuid():N}.db");

    public SqlTestDatabase()
    {
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString();
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE Items (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL, Secret TEXT);"
            + "INSERT INTO Items (Id, Name) VALUES (1, 'one'), (2, 'two'), (3, 'three');";
        command.ExecuteNonQuery();
    }

    public string ConnectionString { get; }

    public ProfiledDbConnection Open()
    {
        var connection = new ProfiledDbConnection(new SqliteConnection(ConnectionString));
        connection.Open();
        return connection;
    }

    /// <summary>Starts a mini app whose single handler runs <paramref name="work"/> and answers "ok".</summary>
    public static Task<MiniApp> StartAppAsync(Func<HttpContext, Task> work, Action<IServiceCollection>? services = null) =>
        MiniApp.StartAsync(
            async ctx =>
            {
                await work(ctx);
                await ctx.Response.WriteAsync("ok");
            },
            services: services);

    /// <summary>GETs <paramref name="path"/> and returns the SQL panel data of the recorded request.</summary>
    public static async Task<(string Id, JsonElement Sql)> GetSqlAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var record = await client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/requests/{id}");
        return (id, record.GetProperty("panels").GetProperty("sql"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }
}
