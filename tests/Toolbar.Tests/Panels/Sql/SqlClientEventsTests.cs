using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Toolbar.Tests.Panels.Sql;

/// <summary>
/// SqlClient's diagnostic events, replayed by a listener with SqlClient's name and event names (no SQL
/// Server needed): the panel must capture them, and must not count a command twice when a profiled
/// connection already reports it.
/// </summary>
public sealed class SqlClientEventsTests : IDisposable
{
    private readonly SqlTestDatabase _db = new();
    private readonly DiagnosticListener _listener = new("SqlClientDiagnosticListener");

    public void Dispose()
    {
        _listener.Dispose();
        _db.Dispose();
    }

    private void Publish(string name, SqliteCommand command, Exception? error = null)
    {
        if (_listener.IsEnabled(name))
        {
            _listener.Write(name, error is null
                ? new { OperationId = Guid.NewGuid(), Operation = "ExecuteReader", Command = command, Timestamp = Stopwatch.GetTimestamp() }
                : new { OperationId = Guid.NewGuid(), Operation = "ExecuteReader", Command = command, Exception = error, Timestamp = Stopwatch.GetTimestamp() });
        }
    }

    [Fact]
    public async Task SqlClient_command_events_are_captured()
    {
        await using var app = await SqlTestDatabase.StartAppAsync(async _ =>
        {
            await using var connection = new SqliteConnection(_db.ConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Name FROM Items WHERE Id = 1";
            Publish("Microsoft.Data.SqlClient.WriteCommandBefore", command);
            await command.ExecuteScalarAsync();
            Publish("Microsoft.Data.SqlClient.WriteCommandAfter", command);
        });
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        var query = Assert.Single(sql.GetProperty("queries").EnumerateArray());
        Assert.Equal("SqlClient", query.GetProperty("source").GetString());
        Assert.Equal("SELECT Name FROM Items WHERE Id = 1", query.GetProperty("sql").GetString());
        Assert.Equal(JsonValueKind.Null, query.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task SqlClient_error_event_records_the_error()
    {
        await using var app = await SqlTestDatabase.StartAppAsync(async _ =>
        {
            await using var connection = new SqliteConnection(_db.ConnectionString);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            Publish("System.Data.SqlClient.WriteCommandBefore", command);
            Publish("System.Data.SqlClient.WriteCommandError", command, new TimeoutException("Execution Timeout Expired."));
            await Task.CompletedTask;
        });
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        var query = Assert.Single(sql.GetProperty("queries").EnumerateArray());
        Assert.Equal("TimeoutException: Execution Timeout Expired.", query.GetProperty("error").GetString());
    }

    [Fact]
    public async Task SqlClient_events_of_a_profiled_command_are_not_counted_twice()
    {
        await using var app = await SqlTestDatabase.StartAppAsync(async _ =>
        {
            await using var connection = _db.Open();
            await using var command = (ProfiledDbCommand)connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM Items";
            // SqlClient reports the inner command; whichever source sees a command first owns it, the other stays silent.
            Publish("Microsoft.Data.SqlClient.WriteCommandBefore", (SqliteCommand)command.InnerCommand);
            await command.ExecuteScalarAsync();
            Publish("Microsoft.Data.SqlClient.WriteCommandAfter", (SqliteCommand)command.InnerCommand);
        });
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(app.Client, "/");
        Assert.Equal(1, sql.GetProperty("count").GetInt32());
    }
}
