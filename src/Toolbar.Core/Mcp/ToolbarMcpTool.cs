using System.Text.Json.Nodes;

namespace Toolbar;

/// <summary>
/// A tool that the toolbar's MCP endpoint (<c>{prefix}/mcp</c>) offers to coding agents. The toolbar offers a few
/// of its own (list requests, read a record or one panel's data); a panel adds its own by overriding
/// <see cref="ToolbarPanel.GetMcpTools"/>, exactly as the built-in panels do.
/// </summary>
public sealed class ToolbarMcpTool
{
    /// <summary>Creates a tool.</summary>
    /// <param name="name">Unique tool name: lowercase letters, digits and underscores (e.g. <c>sql_n_plus_one</c>).</param>
    /// <param name="description">What the tool does and returns, for the agent that decides whether to call it.</param>
    /// <param name="inputSchema">JSON Schema of the arguments (an <c>object</c> schema); <c>null</c> for none.</param>
    /// <param name="invoke">Runs the tool. Its result is serialized as JSON and sent to the agent.</param>
    public ToolbarMcpTool(string name, string description, JsonObject? inputSchema, Func<ToolbarMcpCall, CancellationToken, ValueTask<object?>> invoke)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(description);
        ArgumentNullException.ThrowIfNull(invoke);
        if (!name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
        {
            throw new ArgumentException($"Tool name '{name}' must use lowercase letters, digits and underscores only.", nameof(name));
        }

        Name = name;
        Description = description;
        InputSchema = inputSchema ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
        Invoke = invoke;
    }

    /// <summary>Unique tool name.</summary>
    public string Name { get; }

    /// <summary>What the tool does, for the agent.</summary>
    public string Description { get; }

    /// <summary>JSON Schema of the arguments.</summary>
    public JsonObject InputSchema { get; }

    /// <summary>
    /// Whether the tool changes state (takes a snapshot, arms a profile, clears history). Such a tool runs only when
    /// the MCP request carries the same explicit intent as the UI's buttons: the header <c>X-Toolbar-Request: 1</c>.
    /// </summary>
    public bool ChangesState { get; init; }

    /// <summary>Runs the tool.</summary>
    public Func<ToolbarMcpCall, CancellationToken, ValueTask<object?>> Invoke { get; }

    /// <summary>A JSON Schema for an object with these arguments.</summary>
    /// <param name="arguments">The arguments.</param>
    public static JsonObject ObjectSchema(params ToolbarMcpArgument[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var argument in arguments)
        {
            properties[argument.Name] = new JsonObject { ["type"] = argument.Type, ["description"] = argument.Description };
            if (argument.Required)
            {
                required.Add(argument.Name);
            }
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required.Count > 0)
        {
            schema["required"] = required;
        }

        return schema;
    }
}
