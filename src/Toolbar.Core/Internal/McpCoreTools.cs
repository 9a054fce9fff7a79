using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Toolbar.Internal;

/// <summary>The MCP tools of the toolbar itself: panel-neutral reading of the stored records.</summary>
internal static class McpCoreTools
{
    public static IEnumerable<ToolbarMcpTool> Create(ToolbarRuntime runtime)
    {
        yield return new ToolbarMcpTool(
            "list_requests",
            "Recent requests the toolbar recorded, newest first: id, method, path, status, duration and each panel's one-line facts "
            + "(e.g. sql: '11 queries, N+1'). Filter by path (substring), method and status ('500', '4xx', '5xx' or 'error' for >= 400).",
            ToolbarMcpTool.ObjectSchema(
                new ToolbarMcpArgument("path", "string", "Only requests whose path contains this text (case-insensitive)."),
                new ToolbarMcpArgument("method", "string", "Only this HTTP method (GET, POST, …)."),
                new ToolbarMcpArgument("status", "string", "A status code, '4xx', '5xx', or 'error' (any status >= 400)."),
                new ToolbarMcpArgument("limit", "integer", "At most this many (1–100, default 20).")),
            async (call, ct) =>
            {
                var path = call.GetString("path");
                var method = call.GetString("method");
                var status = ParseStatus(call.GetString("status"));
                var limit = call.GetInt("limit", 20, 1, 100);
                var summaries = await call.Store.ListAsync(ct);
                return summaries
                    .Where(s => path is null || s.Path.Contains(path, StringComparison.OrdinalIgnoreCase))
                    .Where(s => method is null || string.Equals(s.Method, method, StringComparison.OrdinalIgnoreCase))
                    .Where(s => status(s.StatusCode))
                    .Take(limit)
                    .ToList();
            });

        yield return new ToolbarMcpTool(
            "get_request",
            "One recorded request: method, path, status, duration, and for each panel its one-line facts, status (normal, warning, error) and any "
            + "panel error. Without requestId: the newest request. Use get_panel_data for a panel's full data.",
            ToolbarMcpTool.ObjectSchema(new ToolbarMcpArgument("requestId", "string", "The record id (32 hex characters); default: the newest request.")),
            async (call, ct) =>
            {
                var record = await call.GetRecordAsync(cancellationToken: ct);
                var panels = new JsonArray();
                foreach (var panel in runtime.Panels)
                {
                    var data = record.GetPanelData(panel.Id);
                    var error = record.GetPanelError(panel.Id);
                    if (data is null && error is null)
                    {
                        continue;
                    }

                    panels.Add(new JsonObject
                    {
                        ["id"] = panel.Id,
                        ["title"] = panel.Title,
                        ["subtitle"] = data is null ? null : Safe(() => panel.GetNavSubtitle(data)),
                        ["status"] = data is null ? "error" : Safe(() => panel.GetStatus(data).ToString().ToLowerInvariant()) ?? "normal",
                        ["error"] = error,
                    });
                }

                return new JsonObject
                {
                    ["id"] = record.Id,
                    ["method"] = record.Method,
                    ["path"] = record.Path,
                    ["queryString"] = record.QueryString,
                    ["statusCode"] = record.StatusCode,
                    ["durationMs"] = Math.Round(record.DurationMs, 3),
                    ["startedAt"] = record.StartedAt.ToString("O", CultureInfo.InvariantCulture),
                    ["contentType"] = record.ContentType,
                    ["isAjax"] = record.IsAjax,
                    ["viewUrl"] = call.HttpContext.Request.PathBase + runtime.Prefix + "/requests/" + record.Id,
                    ["panels"] = panels,
                };
            });

        yield return new ToolbarMcpTool(
            "get_panel_data",
            "One panel's full data for a recorded request, as the JSON API returns it (e.g. panel 'sql': every query with parameters, "
            + "durations, N+1 groups and call sites). Panels: " + string.Join(", ", runtime.Panels.Select(p => p.Id)) + ".",
            ToolbarMcpTool.ObjectSchema(
                new ToolbarMcpArgument("panel", "string", "The panel id.", Required: true),
                new ToolbarMcpArgument("requestId", "string", "The record id; default: the newest request that has data for this panel.")),
            async (call, ct) =>
            {
                var panelId = call.GetRequiredString("panel");
                if (!runtime.ById.TryGetValue(panelId, out var panel))
                {
                    throw new ToolbarMcpException($"No panel has the id '{panelId}'. Panels: {string.Join(", ", runtime.Panels.Select(p => p.Id))}.");
                }

                var record = await call.GetRecordAsync(panelId: panel.Id, cancellationToken: ct);
                var data = record.GetPanelData(panel.Id);
                if (data is null)
                {
                    throw new ToolbarMcpException(record.GetPanelError(panel.Id) is { } error
                        ? $"The '{panel.Id}' panel failed for this request: {error}"
                        : $"The '{panel.Id}' panel has no data for request {record.Id}.");
                }

                return JsonSerializer.SerializeToNode(data, panel.DataType, ToolbarJson.Options);
            });

        yield return new ToolbarMcpTool(
            "get_record",
            "A whole recorded request as the toolbar's JSON API returns it (every panel's data). Large; prefer get_request and get_panel_data.",
            ToolbarMcpTool.ObjectSchema(new ToolbarMcpArgument("requestId", "string", "The record id; default: the newest request.")),
            async (call, ct) =>
            {
                var record = await call.GetRecordAsync(cancellationToken: ct);
                var buffer = new ArrayBufferWriter<byte>(16 * 1024);
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    ToolbarJson.WriteRecord(writer, record, runtime);
                }

                return JsonNode.Parse(buffer.WrittenSpan);
            });
    }

    private static Func<int, bool> ParseStatus(string? status) => status?.Trim().ToLowerInvariant() switch
    {
        null or "" => _ => true,
        "error" => s => s >= 400,
        { Length: 3 } s when s.EndsWith("xx", StringComparison.Ordinal) && char.IsAsciiDigit(s[0]) => code => code / 100 == s[0] - '0',
        var s when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var code) => c => c == code,
        _ => throw new ToolbarMcpException("Argument 'status' must be a status code, '4xx', '5xx' or 'error'."),
    };

    private static T? Safe<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return default;
        }
    }
}
