namespace Toolbar.Panels.Exceptions;

/// <summary>The exceptions panel's MCP tool.</summary>
internal static class ExceptionsMcpTools
{
    public static IEnumerable<ToolbarMcpTool> Create(string panelId)
    {
        yield return new ToolbarMcpTool(
            "get_exceptions",
            "Exceptions thrown while requests ran: type, message, whether it failed the request (handled=false), and the stack with the app's "
            + "own frames only (fullStack has every frame). Without requestId: the newest requests that threw.",
            ToolbarMcpTool.ObjectSchema(
                new ToolbarMcpArgument("requestId", "string", "Only this record."),
                new ToolbarMcpArgument("limit", "integer", "At most this many requests (1–50, default 5)."),
                new ToolbarMcpArgument("fullStack", "boolean", "Include every frame, not only the app's (default false).")),
            async (call, ct) =>
            {
                var limit = call.GetInt("limit", 5, 1, 50);
                var full = call.Arguments.ValueKind == System.Text.Json.JsonValueKind.Object
                    && call.Arguments.TryGetProperty("fullStack", out var f) && f.ValueKind == System.Text.Json.JsonValueKind.True;
                var records = new List<RequestRecord>();
                if (call.GetString("requestId") is { Length: > 0 })
                {
                    records.Add(await call.GetRecordAsync(cancellationToken: ct));
                }
                else
                {
                    await foreach (var record in call.GetStoredRecordsAsync(ct))
                    {
                        if (records.Count == limit)
                        {
                            break;
                        }

                        if (record.GetPanelData<ExceptionsData>(panelId) is { Exceptions.Count: > 0 })
                        {
                            records.Add(record);
                        }
                    }
                }

                return new
                {
                    requests = records.Select(r => new
                    {
                        requestId = r.Id,
                        method = r.Method,
                        path = r.Path,
                        statusCode = r.StatusCode,
                        exceptions = (r.GetPanelData<ExceptionsData>(panelId)?.Exceptions ?? []).Select(e => Describe(e, full)),
                    }),
                };
            });
    }

    private static object Describe(ExceptionEntry e, bool full) => new
    {
        type = e.Type,
        message = e.Message,
        handled = e.Handled,
        stack = e.Stack,
        fullStack = full ? e.FullStack : null,
        inner = e.InnerExceptions.Select(i => Describe(i, full)),
    };
}
