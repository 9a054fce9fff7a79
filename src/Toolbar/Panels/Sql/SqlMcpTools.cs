namespace Toolbar.Panels.Sql;

/// <summary>The SQL panel's MCP tools: N+1 groups, slow and duplicate queries, with their call sites.</summary>
internal static class SqlMcpTools
{
    public static IEnumerable<ToolbarMcpTool> Create(string panelId)
    {
        yield return new ToolbarMcpTool(
            "sql_n_plus_one",
            "N+1 query groups (one statement repeated with different values) in recent requests, each with the statement, how often it ran, "
            + "its total time and the app call site that issued it. Without requestId: every stored request that has one (newest first).",
            ToolbarMcpTool.ObjectSchema(
                new ToolbarMcpArgument("requestId", "string", "Only this record."),
                new ToolbarMcpArgument("limit", "integer", "At most this many requests to report (1–100, default 20).")),
            async (call, ct) =>
            {
                var limit = call.GetInt("limit", 20, 1, 100);
                var found = new List<object>();
                foreach (var record in await RecordsAsync(call, panelId, ct))
                {
                    if (record.GetPanelData<SqlData>(panelId) is { NPlusOne.Count: > 0 } data)
                    {
                        found.Add(new
                        {
                            requestId = record.Id,
                            method = record.Method,
                            path = record.Path,
                            queryCount = data.Count,
                            groups = data.NPlusOne.Select(g => new { sql = g.Sql, count = g.Count, durationMs = g.DurationMs, callSite = g.CallSite }),
                        });
                        if (found.Count == limit)
                        {
                            break;
                        }
                    }
                }

                return new { requests = found };
            });

        yield return new ToolbarMcpTool(
            "sql_slow_queries",
            "The slowest SQL statements of a request (or of recent requests), with duration, parameters (secrets masked), duplicate counts, errors "
            + "and the app frames that issued them.",
            ToolbarMcpTool.ObjectSchema(
                new ToolbarMcpArgument("requestId", "string", "Only this record; default: every stored request."),
                new ToolbarMcpArgument("minMs", "integer", "Only statements that took at least this many milliseconds (default 0)."),
                new ToolbarMcpArgument("limit", "integer", "At most this many statements (1–200, default 20).")),
            async (call, ct) =>
            {
                var limit = call.GetInt("limit", 20, 1, 200);
                var minMs = call.GetInt("minMs", 0, 0);
                var queries = new List<(RequestRecord Record, SqlQuery Query)>();
                foreach (var record in await RecordsAsync(call, panelId, ct))
                {
                    if (record.GetPanelData<SqlData>(panelId) is { } data)
                    {
                        queries.AddRange(data.Queries.Where(q => q.DurationMs >= minMs).Select(q => (record, q)));
                    }
                }

                return new
                {
                    queries = queries.OrderByDescending(x => x.Query.DurationMs).Take(limit).Select(x => new
                    {
                        requestId = x.Record.Id,
                        path = x.Record.Path,
                        index = x.Query.Index,
                        sql = x.Query.Sql,
                        durationMs = x.Query.DurationMs,
                        parameters = x.Query.Parameters.Select(p => new { name = p.Name, value = p.Value, type = p.Type }),
                        duplicateCount = x.Query.DuplicateCount,
                        error = x.Query.Error,
                        stack = x.Query.Stack,
                    }),
                };
            });
    }

    /// <summary>The named record, or every stored record with SQL data, newest first.</summary>
    private static async ValueTask<IReadOnlyList<RequestRecord>> RecordsAsync(ToolbarMcpCall call, string panelId, CancellationToken ct)
    {
        if (call.GetString("requestId") is { Length: > 0 })
        {
            return [await call.GetRecordAsync(cancellationToken: ct)];
        }

        var records = new List<RequestRecord>();
        await foreach (var record in call.GetStoredRecordsAsync(ct))
        {
            if (record.GetPanelData(panelId) is not null)
            {
                records.Add(record);
            }
        }

        return records;
    }
}
