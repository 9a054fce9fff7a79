using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Toolbar.Panels.Sql;

/// <summary>
/// <c>POST {prefix}/panels/sql/explain</c> with <c>{requestId, index[, analyze]}</c>: re-runs one stored SELECT of a
/// stored request under its database's EXPLAIN, on a fresh unpooled connection. It never runs SQL sent by the
/// client: the body may only name a stored statement. Two independent defences keep it from writing: the
/// statement must tokenize as exactly one SELECT, and it runs on a read-only connection or inside a read-only
/// transaction that is always rolled back (SQLite <c>query_only</c> on a read-only connection, PostgreSQL and
/// MySQL/MariaDB read-only session and transaction).
/// </summary>
internal static class SqlExplain
{
    private const int MaxBodyBytes = 4096;
    private const int MaxPlanRows = 500;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task<IResult> HandleAsync(HttpContext http, IToolbarStore store)
    {
        var (requestId, index, analyze, problem) = await ReadBodyAsync(http.Request);
        if (problem is not null)
        {
            return Bad(problem);
        }

        var record = await store.GetAsync(requestId!, http.RequestAborted);
        if (record is null)
        {
            return Bad("No stored request has this id.");
        }

        var query = record.GetPanelData<SqlData>("sql")?.Queries.FirstOrDefault(q => q.Index == index);
        if (query is null)
        {
            return Bad("The request has no stored query with this index.");
        }

        if (query.Target is not { } target)
        {
            return query.IsSelect
                ? Bad("The connection of this query is not known here (records read back from a shared store keep no connection details).")
                : Bad("EXPLAIN is only offered for a single SELECT statement.");
        }

        var dialect = SqlDialects.FromType(target.ConnectionType);
        if (!query.IsSelect || !SqlText.IsSingleSelect(query.Sql, dialect))
        {
            return Bad("EXPLAIN is only offered for a single SELECT statement.");
        }

        if (dialect == SqlDialect.Generic)
        {
            return Bad($"EXPLAIN is not supported for {target.ConnectionType.Name}.");
        }

        if (analyze && dialect is not (SqlDialect.PostgreSql or SqlDialect.MySql))
        {
            return Bad("EXPLAIN ANALYZE is offered for PostgreSQL and MySQL/MariaDB only.");
        }

        try
        {
            var result = await RunAsync(target, dialect, query.Sql, query.RawParameters ?? [], analyze, http.RequestAborted);
            return Results.Json(
                new
                {
                    plan = result.Rows,
                    columns = result.Columns,
                    tree = result.Tree,
                    raw = result.Raw,
                    format = result.Format,
                    analyze,
                    executed = analyze,
                    executionTimeMs = result.ExecutionTimeMs,
                    provider = query.Provider,
                    statement = query.Sql,
                },
                s_json);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or ArgumentException or NotSupportedException or MissingMethodException or JsonException or System.Xml.XmlException or FormatException)
        {
            return Results.Json(new { error = $"EXPLAIN failed: {ex.GetType().Name}: {ex.Message}" }, s_json, statusCode: StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static IResult Bad(string message) =>
        Results.Json(new { type = "about:blank", title = "Bad request", status = 400, detail = message, error = message }, s_json, "application/problem+json", StatusCodes.Status400BadRequest);

    private static async Task<(string? RequestId, int Index, bool Analyze, string? Problem)> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            return (null, 0, false, "The body is too large; send only {\"requestId\", \"index\"}.");
        }

        JsonDocument document;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                // Stop reading as soon as the body is too large: a huge chunked body is never buffered.
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return (null, 0, false, "The body is too large; send only {\"requestId\", \"index\"}.");
                }

                buffer.Write(chunk, 0, read);
            }

            if (buffer.Length == 0)
            {
                return (null, 0, false, "Send a JSON body {\"requestId\", \"index\"}.");
            }

            document = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException)
        {
            return (null, 0, false, "The body is not valid JSON; send {\"requestId\", \"index\"}.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, 0, false, "Send a JSON object {\"requestId\", \"index\"}.");
            }

            string? requestId = null;
            int? index = null;
            var analyze = false;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "requestId" when property.Value.ValueKind == JsonValueKind.String:
                        try
                        {
                            requestId = property.Value.GetString();
                        }
                        catch (InvalidOperationException)
                        {
                            return (null, 0, false, "'requestId' is not valid text.");
                        }

                        break;
                    case "index" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var i):
                        index = i;
                        break;
                    case "analyze" when property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                        analyze = property.Value.GetBoolean();
                        break;
                    case "requestId" or "index" or "analyze":
                        return (null, 0, false, $"'{property.Name}' has the wrong type.");
                    default:
                        // Anything else (sql, statement, query...) is refused outright: only stored statements run.
                        return (null, 0, false, $"Unexpected field '{property.Name}': EXPLAIN only takes {{\"requestId\", \"index\"}} and never runs SQL sent by the client.");
                }
            }

            if (string.IsNullOrEmpty(requestId) || index is null)
            {
                return (null, 0, false, "Both 'requestId' and 'index' are required.");
            }

            return (requestId, index.Value, analyze, null);
        }
    }

    /// <summary>What EXPLAIN returned: the database's rows, the tree built from them, the raw text and its format.</summary>
    internal sealed record Result(List<string> Columns, List<Dictionary<string, string?>> Rows, List<SqlPlanNode> Tree, string Raw, string Format, double? ExecutionTimeMs);

    /// <summary>
    /// Runs EXPLAIN of <paramref name="sql"/> behind the read-only defence only. The caller must have checked that
    /// the statement is one SELECT; tests call this directly to prove the second defence holds on its own.
    /// </summary>
    internal static async Task<Result> RunAsync(SqlConnectionTarget target, SqlDialect dialect, string sql, IReadOnlyList<SqlRawParameter> parameters, bool analyze, CancellationToken cancellationToken)
    {
        var connection = target.CreateConnection(connectionString => ReadOnlyConnectionString(connectionString, dialect, target.ConnectionType));
        await using (connection)
        {
            await connection.OpenAsync(cancellationToken);
            var (begin, end) = dialect switch
            {
                // query_only cannot be undone by the statement on a Mode=ReadOnly connection; the transaction is rolled back anyway.
                SqlDialect.Sqlite => (new[] { "PRAGMA query_only = 1", "BEGIN" }, "ROLLBACK"),
                // The session default covers statements after a smuggled COMMIT; the transaction covers the rest.
                SqlDialect.PostgreSql => (["SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "BEGIN READ ONLY"], "ROLLBACK"),
                SqlDialect.MySql => (["SET SESSION TRANSACTION READ ONLY", "START TRANSACTION READ ONLY"], "ROLLBACK"),
                _ => (["BEGIN TRANSACTION", "SET SHOWPLAN_XML ON"], "SET SHOWPLAN_XML OFF"),
            };
            try
            {
                foreach (var statement in begin)
                {
                    await ExecuteAsync(connection, statement, cancellationToken);
                }

                await using var command = connection.CreateCommand();
                command.CommandTimeout = 30;
                command.CommandText = dialect switch
                {
                    SqlDialect.Sqlite => "EXPLAIN QUERY PLAN " + sql,
                    SqlDialect.PostgreSql => (analyze ? "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " : "EXPLAIN (FORMAT JSON) ") + sql,
                    SqlDialect.MySql => (analyze ? "ANALYZE FORMAT=JSON " : "EXPLAIN FORMAT=JSON ") + sql,
                    _ => sql,
                };
                foreach (var raw in parameters)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = raw.Name;
                    parameter.Value = raw.Value ?? DBNull.Value;
                    parameter.DbType = raw.DbType;
                    command.Parameters.Add(parameter);
                }

                var columns = new List<string>();
                var rows = new List<Dictionary<string, string?>>();
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        columns.Add(reader.GetName(i));
                    }

                    while (rows.Count < MaxPlanRows && await reader.ReadAsync(cancellationToken))
                    {
                        var row = new Dictionary<string, string?>(StringComparer.Ordinal);
                        for (var i = 0; i < reader.FieldCount; i++)
                        {
                            row[columns[i]] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
                        }

                        rows.Add(row);
                    }
                }

                var result = Build(dialect, columns, rows);
                if (dialect == SqlDialect.MySql && result.Tree is [{ EstimatedCost: null } root])
                {
                    // MariaDB's JSON plan carries no cost; the optimizer's total for the statement is in Last_query_cost.
                    root.EstimatedCost = await LastQueryCostAsync(connection, cancellationToken);
                }

                return result;
            }
            finally
            {
                // Whatever the statement touched is undone; the connection is not pooled, so no setting outlives it.
                try
                {
                    await ExecuteAsync(connection, end, CancellationToken.None);
                    if (dialect == SqlDialect.SqlServer)
                    {
                        await ExecuteAsync(connection, "IF @@TRANCOUNT > 0 ROLLBACK", CancellationToken.None);
                    }
                }
                catch (DbException)
                {
                    // A failed statement may have ended the transaction already; the connection is closed next.
                }
            }
        }
    }

    private static Result Build(SqlDialect dialect, List<string> columns, List<Dictionary<string, string?>> rows)
    {
        double? executionTime = null;
        switch (dialect)
        {
            case SqlDialect.Sqlite:
                var text = string.Join("\n", rows.Select(r => $"{r.GetValueOrDefault("id")}|{r.GetValueOrDefault("parent")}|{r.GetValueOrDefault("detail")}"));
                return new(columns, rows, SqlPlanParser.Sqlite(rows), text, "sqlite-eqp", null);
            case SqlDialect.PostgreSql:
                var json = FirstCell(rows, columns);
                return new(columns, rows, SqlPlanParser.PostgreSql(json, out executionTime), Pretty(json), "postgresql-json", executionTime);
            case SqlDialect.MySql:
                var mysql = FirstCell(rows, columns);
                var tree = SqlPlanParser.MySql(mysql);
                executionTime = tree.FirstOrDefault()?.ActualTimeMs;
                return new(columns, rows, tree, Pretty(mysql), "mysql-json", executionTime);
            default:
                var xml = FirstCell(rows, columns);
                return new(columns, rows, SqlPlanParser.Showplan(xml), xml, "showplan-xml", null);
        }
    }

    private static string FirstCell(List<Dictionary<string, string?>> rows, List<string> columns) =>
        rows.Count > 0 && columns.Count > 0 ? rows[0][columns[0]] ?? "" : throw new InvalidOperationException("The database returned no plan.");

    private static string Pretty(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The app's connection string, unpooled (no session setting of ours can reach the app's pool), for SQLite read-only, for MySql.Data without batches.</summary>
    internal static string ReadOnlyConnectionString(string connectionString, SqlDialect dialect, Type? connectionType = null)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        builder["Pooling"] = "false";
        if (connectionType?.Namespace?.StartsWith("MySql.Data", StringComparison.Ordinal) == true)
        {
            // Oracle's connector then does not ask the server for multi-statement support: a second statement is a syntax error.
            builder["AllowBatch"] = "false";
        }

        if (dialect == SqlDialect.Sqlite)
        {
            var mode = builder.TryGetValue("Mode", out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
            // An in-memory database is private to its connection (or shared by name): read-only would not open it.
            if (mode is null or "" || mode.Equals("ReadWriteCreate", StringComparison.OrdinalIgnoreCase) || mode.Equals("ReadWrite", StringComparison.OrdinalIgnoreCase))
            {
                builder["Mode"] = "ReadOnly";
            }
        }

        return builder.ConnectionString;
    }

    private static async Task<double?> LastQueryCostAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SHOW SESSION STATUS LIKE 'Last_query_cost'";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            && double.TryParse(Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var cost) && cost > 0
            ? cost
            : null;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
