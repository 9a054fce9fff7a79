using System.Buffers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toolbar.Internal;

/// <summary>Marks the MCP endpoint: a POST that carries its own intent rules (see <see cref="McpServer"/>).</summary>
internal sealed class McpEndpointMetadata
{
    public static readonly McpEndpointMetadata Instance = new();
}

/// <summary>
/// A Model Context Protocol server (streamable HTTP transport, JSON responses, no server-initiated stream) at
/// <c>{prefix}/mcp</c>, behind the same access policy as every toolbar URL. Reading tools answer any allowed
/// client; tools that change state need <c>X-Toolbar-Request: 1</c>, the same intent the UI's buttons send.
/// A cross-site page cannot reach it: the body must be <c>application/json</c> (a preflight we never allow) and
/// a foreign <c>Origin</c> is refused.
/// </summary>
internal sealed class McpServer
{
    public const int MaxBodyBytes = 1024 * 1024;
    private static readonly string[] s_versions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];
    private readonly ToolbarRuntime _runtime;
    private readonly ILogger _logger;
    private readonly Lazy<IReadOnlyDictionary<string, ToolbarMcpTool>> _tools;

    public McpServer(ToolbarRuntime runtime, ILogger logger)
    {
        _runtime = runtime;
        _logger = logger;
        _tools = new(CollectTools);
    }

    public static void Map(RouteGroupBuilder group, ToolbarRuntime runtime)
    {
        var logger = ((IEndpointRouteBuilder)group).ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Toolbar.Mcp");
        var server = new McpServer(runtime, logger);
        group.MapPost("/mcp", server.HandleAsync).WithMetadata(McpEndpointMetadata.Instance);
        group.MapMethods("/mcp", ["GET", "DELETE"], (HttpContext http) =>
        {
            // No server-initiated stream and no session to end: the transport lets a server answer 405 to both.
            http.Response.Headers.Allow = "POST";
            return Results.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "The toolbar's MCP endpoint takes JSON-RPC messages by POST only.");
        });
    }

    public IReadOnlyDictionary<string, ToolbarMcpTool> Tools => _tools.Value;

    private IReadOnlyDictionary<string, ToolbarMcpTool> CollectTools()
    {
        var tools = new Dictionary<string, ToolbarMcpTool>(StringComparer.Ordinal);
        foreach (var tool in McpCoreTools.Create(_runtime))
        {
            tools[tool.Name] = tool;
        }

        foreach (var panel in _runtime.Panels)
        {
            try
            {
                foreach (var tool in panel.GetMcpTools())
                {
                    if (!tools.TryAdd(tool.Name, tool))
                    {
                        _logger.LogWarning("Panel '{Panel}' offers the MCP tool '{Tool}', whose name is taken; it is left out.", panel.Id, tool.Name);
                    }
                }
            }
            catch (Exception ex)
            {
                Log.PanelFailed(_logger, panel.Id, nameof(ToolbarPanel.GetMcpTools), ex);
            }
        }

        return tools;
    }

    private async Task HandleAsync(HttpContext http)
    {
        if (http.Request.Headers.Origin is [{ } origin] && !IsSameOrigin(http, origin))
        {
            await Problem(http, StatusCodes.Status403Forbidden, "The MCP endpoint answers only its own origin.");
            return;
        }

        if (!IsJson(http.Request.ContentType))
        {
            await Problem(http, StatusCodes.Status415UnsupportedMediaType, "Send JSON-RPC messages as application/json.");
            return;
        }

        if (http.Request.ContentLength > MaxBodyBytes)
        {
            await Problem(http, StatusCodes.Status413PayloadTooLarge, $"An MCP message may be at most {MaxBodyBytes} bytes.");
            return;
        }

        JsonDocument document;
        try
        {
            var body = await ReadBodyAsync(http);
            if (body is null)
            {
                await Problem(http, StatusCodes.Status413PayloadTooLarge, $"An MCP message may be at most {MaxBodyBytes} bytes.");
                return;
            }

            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            await WriteAsync(http, Error(null, -32700, "Parse error: the body is not JSON."), StatusCodes.Status400BadRequest);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                var answers = new JsonArray();
                foreach (var message in root.EnumerateArray())
                {
                    if (await DispatchAsync(http, message) is { } answer)
                    {
                        answers.Add(answer);
                    }
                }

                if (answers.Count == 0)
                {
                    http.Response.StatusCode = StatusCodes.Status202Accepted;
                    return;
                }

                await WriteAsync(http, answers, StatusCodes.Status200OK);
                return;
            }

            var single = await DispatchAsync(http, root);
            if (single is null)
            {
                // A notification or a response: nothing to answer.
                http.Response.StatusCode = StatusCodes.Status202Accepted;
                return;
            }

            await WriteAsync(http, single, StatusCodes.Status200OK);
        }
    }

    private async Task<JsonNode?> DispatchAsync(HttpContext http, JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
        {
            return Error(null, -32600, "Invalid request: a JSON-RPC 2.0 object is expected.");
        }

        JsonNode? id = null;
        var hasId = message.TryGetProperty("id", out var idElement);
        if (hasId)
        {
            if (idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                return Error(null, -32600, "Invalid request: the id must be a string or a number.");
            }

            id = JsonNode.Parse(idElement.GetRawText());
        }

        if (!message.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
        {
            // A response from the client (we never ask it anything) or garbage without an id: nothing to answer.
            return hasId && !message.TryGetProperty("result", out _) && !message.TryGetProperty("error", out _)
                ? Error(id, -32600, "Invalid request: no method.")
                : null;
        }

        var method = methodElement.GetString()!;
        if (!hasId)
        {
            return null; // notifications/initialized, notifications/cancelled, …
        }

        var parameters = message.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        try
        {
            return method switch
            {
                "initialize" => Result(id, Initialize(parameters)),
                "ping" => Result(id, new JsonObject()),
                "tools/list" => Result(id, ListTools()),
                "tools/call" => Result(id, await CallToolAsync(http, parameters)),
                "resources/list" => Result(id, new JsonObject { ["resources"] = new JsonArray() }),
                "prompts/list" => Result(id, new JsonObject { ["prompts"] = new JsonArray() }),
                _ => Error(id, -32601, $"Method not found: {method}"),
            };
        }
        catch (McpInvalidParamsException ex)
        {
            return Error(id, -32602, ex.Message);
        }
    }

    private static JsonObject Initialize(JsonElement parameters)
    {
        var asked = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("protocolVersion", out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
        var version = asked is not null && s_versions.Contains(asked) ? asked : s_versions[0];
        var assembly = typeof(McpServer).Assembly;
        return new JsonObject
        {
            ["protocolVersion"] = version,
            ["capabilities"] = new JsonObject { ["tools"] = new JsonObject { ["listChanged"] = false } },
            ["serverInfo"] = new JsonObject
            {
                ["name"] = "toolbar",
                ["title"] = "Toolbar (ASP.NET Core debug toolbar)",
                ["version"] = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "0",
            },
            ["instructions"] = "What happened inside this ASP.NET Core app's recent requests: SQL (N+1, slow queries), "
                + "exceptions with the app's own frames, timings, logs, routes and memory. Start with list_requests, then get_request "
                + "and get_panel_data or a panel's own tools. Secrets are masked. Tools that change state need the HTTP header "
                + "'X-Toolbar-Request: 1' in the client's configuration.",
        };
    }

    private JsonObject ListTools()
    {
        var list = new JsonArray();
        foreach (var tool in Tools.Values)
        {
            list.Add(new JsonObject
            {
                ["name"] = tool.Name,
                ["description"] = tool.Description,
                ["inputSchema"] = tool.InputSchema.DeepClone(),
                ["annotations"] = new JsonObject
                {
                    ["readOnlyHint"] = !tool.ChangesState,
                    ["destructiveHint"] = false,
                    ["openWorldHint"] = false,
                },
            });
        }

        return new JsonObject { ["tools"] = list };
    }

    private async Task<JsonObject> CallToolAsync(HttpContext http, JsonElement parameters)
    {
        var name = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
            ? n.GetString()
            : null;
        if (name is null || !Tools.TryGetValue(name, out var tool))
        {
            throw new McpInvalidParamsException($"Unknown tool: {name ?? "(none)"}. Call tools/list for the tools there are.");
        }

        var arguments = parameters.TryGetProperty("arguments", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        if (tool.ChangesState && http.Request.Headers[ToolbarEndpoints.RequestHeader] != "1")
        {
            return ToolError($"The tool '{tool.Name}' changes state, so it needs the same explicit intent as the toolbar's buttons: "
                + $"add the HTTP header '{ToolbarEndpoints.RequestHeader}: 1' to this MCP server's configuration in your client.");
        }

        object? result;
        try
        {
            result = await tool.Invoke(new ToolbarMcpCall(http, arguments), http.RequestAborted);
        }
        catch (ToolbarMcpException ex)
        {
            return ToolError(ex.Message);
        }
        catch (ToolbarStoreUnavailableException ex)
        {
            return ToolError(ex.Message);
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "MCP tool {Tool} failed", tool.Name);
            return ToolError($"The tool failed: {ex.GetType().Name}: {ex.Message}");
        }

        var node = result as JsonNode ?? JsonSerializer.SerializeToNode(result, result?.GetType() ?? typeof(object), ToolbarJson.Options);
        var answer = new JsonObject
        {
            ["content"] = new JsonArray(new JsonObject
            {
                ["type"] = "text",
                ["text"] = node?.ToJsonString(ToolbarJson.Options) ?? "null",
            }),
            ["isError"] = false,
        };
        if (node is JsonObject)
        {
            // Structured content must be an object; arrays and scalars travel as text only.
            answer["structuredContent"] = node.DeepClone();
        }

        return answer;
    }

    private static JsonObject ToolError(string message) => new()
    {
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = message }),
        ["isError"] = true,
    };

    private static JsonObject Result(JsonNode? id, JsonNode result) => new() { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result };

    private static JsonObject Error(JsonNode? id, int code, string message) =>
        new() { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    private static async Task WriteAsync(HttpContext http, JsonNode answer, int status)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(answer.ToJsonString(ToolbarJson.Options), http.RequestAborted);
    }

    private static Task Problem(HttpContext http, int status, string title) =>
        Results.Problem(statusCode: status, title: title).ExecuteAsync(http);

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static bool IsSameOrigin(HttpContext http, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, http.Request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            http.Request.Host.Value, StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the body up to the limit; <c>null</c> when it is larger (never buffers more than the limit).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext http)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            var read = await http.Request.Body.ReadAsync(memory, http.RequestAborted);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBodyBytes)
            {
                return null;
            }
        }
    }

    private sealed class McpInvalidParamsException(string message) : Exception(message);
}
