using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Panels.Sql;

namespace Toolbar.Tests.Panels.Sql;

/// <summary>Raw ADO.NET and Dapper through <see cref="ProfiledDbConnection"/>.</summary>
public sealed class ProfiledConnectionTests : IDisposable
{
    private readonly SqlTestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private static List<JsonElement> Queries(JsonElement sql) => sql.GetProperty("queries").EnumerateArray().ToList();

    [Fact]
    public async Task Dapper_query_through_profiled_connection_is_captured_with_parameters()
    {
        var names = new List<string>();
        await using var app = await SqlTestDatabase.StartAppAsync(async _ =>
        {
            await using var connection = _db.Open();
            names.AddRange(await connection.QueryAsync<string>("SELECT Name FROM Items WHERE Id >= @min ORDER BY Id", new { min = 2 }));
        });
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        Assert.Equal(["two", "three"], names);
        var query = Assert.Single(Queries(sql));
        Assert.Equal("SELECT Name FROM Items WHERE Id >= @min ORDER BY Id", query.GetProperty("sql").GetString());
        Assert.Equal("ADO.NET", query.GetProperty("source").GetString());
        Assert.Equal("Microsoft.Data.Sqlite", query.GetProperty("provider").GetString());
        Assert.Equal("main", query.GetProperty("database").GetString());
        Assert.Equal(2, query.GetProperty("rowsRead").GetInt32());
        var parameter = Assert.Single(query.GetProperty("parameters").EnumerateArray());
        Assert.Equal("min", parameter.GetProperty("name").GetString()!.TrimStart('@'));
        Assert.Equal("2", parameter.GetProperty("value").GetString());
        Assert.True(query.GetProperty("isSelect").GetBoolean());
    }

    [Fact]
    public async Task Raw_ado_non_query_records_rows_affected_and_call_site()
    {
        await using var app = await SqlTestDatabase.StartAppAsync(async _ =>
        {
            await using var connection = _db.Open();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE Items SET Name = Name || '!' WHERE Id <= 2";
            await command.ExecuteNonQueryAsync();
        });
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        var query = Assert.Single(Queries(sql));
        Assert.Equal(2, query.GetProperty("rowsAffected").GetInt32());
        Assert.Equal("NonQuery", query.GetProperty("executeMethod").GetString());
        Assert.False(query.GetProperty("isSelect").GetBoolean());
        Assert.StartsWith("Toolbar.Tests.Panels.Sql.ProfiledConnectionTests.", query.GetProperty("stack")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failing_command_is_recorded_and_the_app_still_gets_its_exception()
    {
        Exception? seen = null;
        await using var app = await SqlTestDatabase.StartAppAsync(async _ =>
        {
            await using var connection = _db.Open();
            try
            {
                await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM NoSuchTable");
            }
            catch (SqliteException ex)
            {
                seen = ex;
            }
        });
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        Assert.IsType<SqliteException>(seen);
        var query = Assert.Single(Queries(sql));
        Assert.Equal("SqliteException: " + seen!.Message, query.GetProperty("error").GetString());
        Assert.Equal(1, sql.GetProperty("errorCount").GetInt32());
    }

    [Fact]
    public async Task Secret_parameter_value_is_masked()
    {
        await using var app = await SqlTestDatabase.StartAppAsync(async _ =>
        {
            await using var connection = _db.Open();
            await connection.ExecuteAsync("UPDATE Items SET Secret = @password WHERE Id = @id", new { password = "hunter2", id = 1 });
        });
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        var parameters = Queries(sql)[0].GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!.TrimStart('@'), p => p.GetProperty("value").GetString());
        Assert.Equal(SecretMasker.Mask, parameters["password"]);
        Assert.Equal("1", parameters["id"]);
        Assert.DoesNotContain("hunter2", sql.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_identical_query_is_a_duplicate_not_an_n_plus_one()
    {
        await using var app = await SqlTestDatabase.StartAppAsync(async _ =>
        {
            await using var connection = _db.Open();
            for (var i = 0; i < 6; i++)
            {
                await connection.ExecuteScalarAsync<string>("SELECT Name FROM Items WHERE Id = @id", new { id = 1 });
            }
        });
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        Assert.Equal(5, sql.GetProperty("duplicateCount").GetInt32());
        Assert.All(Queries(sql), q => Assert.Equal(5, q.GetProperty("duplicateCount").GetInt32()));
        Assert.All(Queries(sql), q => Assert.Equal(0, q.GetProperty("similarCount").GetInt32()));
        Assert.Empty(sql.GetProperty("nPlusOne").EnumerateArray());
    }

    [Fact]
    public async Task Cap_keeps_the_first_queries_in_detail_and_exact_totals()
    {
        await using var app = await SqlTestDatabase.StartAppAsync(
            async _ =>
            {
                await using var connection = _db.Open();
                for (var i = 0; i < 25; i++)
                {
                    await connection.ExecuteScalarAsync<long>("SELECT @i", new { i });
                }
            },
            services => services.Configure<SqlPanelOptions>(o => o.MaxQueriesPerRequest = 10));
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        Assert.Equal(25, sql.GetProperty("count").GetInt32());
        Assert.Equal(10, Queries(sql).Count);
        Assert.Equal(15, sql.GetProperty("omittedCount").GetInt32());
        Assert.Equal("9", Queries(sql)[9].GetProperty("parameters")[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task Stacks_are_not_captured_when_switched_off()
    {
        await using var app = await SqlTestDatabase.StartAppAsync(
            async _ =>
            {
                await using var connection = _db.Open();
                await connection.ExecuteScalarAsync<long>("SELECT 1");
            },
            services => services.Configure<SqlPanelOptions>(o => o.CaptureStackTraces = false));
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        Assert.Empty(Queries(sql)[0].GetProperty("stack").EnumerateArray());
    }

    [Fact]
    public async Task Stacks_are_captured_for_the_first_runs_of_a_statement_only()
    {
        await using var app = await SqlTestDatabase.StartAppAsync(async _ =>
        {
            await using var connection = _db.Open();
            for (var i = 0; i < 8; i++)
            {
                await connection.ExecuteScalarAsync<long>("SELECT @i", new { i });
            }
        });
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        Assert.Equal([true, false, false, false, false, false, false, false], Queries(sql).Select(q => q.GetProperty("stack").GetArrayLength() > 0));
        var group = Assert.Single(sql.GetProperty("nPlusOne").EnumerateArray());
        Assert.Equal(8, group.GetProperty("count").GetInt32());
        Assert.StartsWith("Toolbar.Tests.Panels.Sql.ProfiledConnectionTests.", group.GetProperty("callSite").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stacks_per_statement_follow_the_configured_bound()
    {
        await using var app = await SqlTestDatabase.StartAppAsync(
            async _ =>
            {
                await using var connection = _db.Open();
                for (var i = 0; i < 8; i++)
                {
                    await connection.ExecuteScalarAsync<long>("SELECT @i", new { i });
                }
            },
            s => s.Configure<Toolbar.Panels.Sql.SqlPanelOptions>(o => o.MaxStacksPerStatement = 5));
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        Assert.Equal([true, true, true, true, true, false, false, false], Queries(sql).Select(q => q.GetProperty("stack").GetArrayLength() > 0));
    }

    [Fact]
    public async Task Concurrent_requests_never_mix_queries()
    {
        await using var app = await SqlTestDatabase.StartAppAsync(async ctx =>
        {
            var marker = ctx.Request.Query["m"].ToString();
            await using var connection = _db.Open();
            for (var i = 0; i < 5; i++)
            {
                await connection.ExecuteScalarAsync<string>("SELECT @marker", new { marker });
                await Task.Yield();
            }
        });
        var results = new ConcurrentBag<(string Marker, JsonElement Sql)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 16), async (i, _) =>
        {
            var marker = $"m{i}";
            var (_, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/?m=" + marker);
            results.Add((marker, sql));
        });
        Assert.Equal(16, results.Count);
        foreach (var (marker, sql) in results)
        {
            Assert.Equal(5, sql.GetProperty("count").GetInt32());
            Assert.All(Queries(sql), q => Assert.Equal(marker, q.GetProperty("parameters")[0].GetProperty("value").GetString()));
        }
    }

    [Fact]
    public async Task Profiled_connection_outside_a_request_passes_through()
    {
        await using var connection = _db.Open();
        Assert.Null(RequestRecord.Current);
        Assert.Equal(3L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM Items"));
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("DELETE FROM Items WHERE Id = 3", transaction: transaction);
        await transaction.RollbackAsync();
        Assert.Equal(3L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM Items"));
    }

    [Fact]
    public async Task Ef_core_over_a_profiled_connection_counts_each_command_once()
    {
        await using var app = await SqlTestDatabase.StartAppAsync(async _ =>
        {
            await using var connection = _db.Open();
            var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<SampleApp.Data.CatalogDb>();
            Microsoft.EntityFrameworkCore.SqliteDbContextOptionsBuilderExtensions.UseSqlite(options, connection);
            await using var context = new SampleApp.Data.CatalogDb(options.Options);
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(context.Database, "UPDATE Items SET Name = 'x' WHERE Id = 1");
        });
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        var query = Assert.Single(Queries(sql));
        Assert.Equal("EF Core", query.GetProperty("source").GetString());
        Assert.Equal(1, query.GetProperty("rowsAffected").GetInt32());
    }
}
