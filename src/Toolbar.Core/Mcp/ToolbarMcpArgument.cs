namespace Toolbar;

/// <summary>One argument of a <see cref="ToolbarMcpTool"/>, for <see cref="ToolbarMcpTool.ObjectSchema"/>.</summary>
/// <param name="Name">Argument name.</param>
/// <param name="Type">JSON Schema type: <c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>.</param>
/// <param name="Description">What the argument means, for the agent.</param>
/// <param name="Required">Whether the agent must pass it.</param>
public sealed record ToolbarMcpArgument(string Name, string Type, string Description, bool Required = false);
