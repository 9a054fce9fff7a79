using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Toolbar.Panels.Sql;

/// <summary>
/// <c>POST {prefix}/panels/sql/explain</c> with <c>{requestId, index}</c>: re-runs one stored SELECT of a
/// stored request under the provider's EXPLAIN, on a fresh connection, inside a transaction that is
/// rolled back. It never runs SQL sent by the client: the body may only name a stored statement.
/// </summary>
internal static class SqlExplain
{
    private const int MaxBodyBytes = 4096;
    private const int MaxPlanRows = 500;

    public static async Task<IResult> HandleAsync(HttpContext http, IToolbarStore store)
    {
        var (requestId, index, problem) = await ReadBodyAsync(http.Request);
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

        if (!query.IsSelect || !SqlText.IsSingleSelect(query.Sql))
        {
            return Bad("EXPLAIN is only offered for a single SELECT statement.");
        }

        if (query.Target is not { } target)
        {
            return Bad("The connection of this query is not known here (records read back from a shared store keep no connection details).");
        }

        var dialect = Dialect(target.ConnectionType);
        if (dialect is null)
        {
            return Bad($"EXPLAIN is not supported for {target.ConnectionType.Name}.");
        }

        try
        {
            var (columns, rows) = await RunAsync(target, dialect.Value, query, http.RequestAborted);
            return Results.Json(new { plan = rows, columns, provider = query.Provider, statement = query.Sql }, ToolbarJsonOptions);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or ArgumentException or NotSupportedException or MissingMethodException)
        {
            return Results.Json(new { error = $"EXPLAIN failed: {ex.GetType().Name}: {ex.Message}" }, ToolbarJsonOptions, statusCode: StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static JsonSerializerOptions ToolbarJsonOptions => ToolbarPanel.JsonOptions;

    private static IResult Bad(string message) => Results.Json(new { error = message }, ToolbarJsonOptions, statusCode: StatusCodes.Status400BadRequest);

    private static async Task<(string? RequestId, int Index, string? Problem)> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            return (null, 0, "The body is too large; send only {\"requestId\", \"index\"}.");
        }

        JsonDocument document;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            if (buffer.Length is 0 or > MaxBodyBytes)
            {
                return (null, 0, "Send a JSON body {\"requestId\", \"index\"}.");
            }

            document = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException)
        {
            return (null, 0, "The body is not valid JSON; send {\"requestId\", \"index\"}.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, 0, "Send a JSON object {\"requestId\", \"index\"}.");
            }

            string? requestId = null;
            int? index = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "requestId" when property.Value.ValueKind == JsonValueKind.String:
                        requestId = property.Value.GetString();
                        break;
                    case "index" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var i):
                        index = i;
                        break;
                    case "requestId" or "index":
                        return (null, 0, $"'{property.Name}' has the wrong type.");
                    default:
                        // Anything else (sql, statement, query...) is refused outright: only stored statements run.
                        return (null, 0, $"Unexpected field '{property.Name}': EXPLAIN only takes {{\"requestId\", \"index\"}} and never runs SQL sent by the client.");
                }
            }

            if (string.IsNullOrEmpty(requestId) || index is null)
            {
                return (null, 0, "Both 'requestId' and 'index' are required.");
            }

            return (requestId, index.Value, null);
        }
    }

    private enum ExplainDialect
    {
        Sqlite,
        Explain,
        SqlServerShowplan,
    }

    private static ExplainDialect? Dialect(Type connectionType)
    {
        var name = connectionType.FullName ?? connectionType.Name;
        return name switch
        {
            _ when name.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) => ExplainDialect.Sqlite,
            _ when name.Contains("Npgsql", StringComparison.Ordinal) || name.Contains("MySql", StringComparison.OrdinalIgnoreCase) => ExplainDialect.Explain,
            _ when name.Contains("SqlClient", StringComparison.Ordinal) => ExplainDialect.SqlServerShowplan,
            _ => null,
        };
    }

    private static async Task<(List<string> Columns, List<Dictionary<string, string?>> Rows)> RunAsync(
        SqlConnectionTarget target, ExplainDialect dialect, SqlQuery query, CancellationToken cancellationToken)
    {
        if (Activator.CreateInstance(target.ConnectionType) is not DbConnection connection)
        {
            throw new NotSupportedException($"{target.ConnectionType.Name} is not a DbConnection.");
        }

        await using (connection)
        {
            connection.ConnectionString = target.ConnectionString;
            await connection.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                if (dialect == ExplainDialect.SqlServerShowplan)
                {
                    await ExecuteAsync(connection, transaction, "SET SHOWPLAN_XML ON", cancellationToken);
                }

                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandTimeout = 10;
                command.CommandText = dialect switch
                {
                    ExplainDialect.Sqlite => "EXPLAIN QUERY PLAN " + query.Sql,
                    ExplainDialect.Explain => "EXPLAIN " + query.Sql,
                    _ => query.Sql,
                };
                foreach (var raw in query.RawParameters ?? [])
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

                if (dialect == ExplainDialect.SqlServerShowplan)
                {
                    await ExecuteAsync(connection, transaction, "SET SHOWPLAN_XML OFF", cancellationToken);
                }

                return (columns, rows);
            }
            finally
            {
                // Whatever EXPLAIN touched (PostgreSQL's EXPLAIN can evaluate functions) is undone.
                await transaction.RollbackAsync(CancellationToken.None);
            }
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
