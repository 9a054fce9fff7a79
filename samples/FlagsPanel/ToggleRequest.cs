namespace ToolbarFlags;

/// <summary>Body of <c>POST {prefix}/panels/flags/toggle</c>.</summary>
/// <param name="Name">The flag to toggle for the calling browser.</param>
public sealed record ToggleRequest(string? Name);
