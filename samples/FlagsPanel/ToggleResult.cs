namespace ToolbarFlags;

/// <summary>Answer of the toggle endpoint.</summary>
/// <param name="Name">The flag toggled.</param>
/// <param name="Value">Its value for this browser from the next request on.</param>
/// <param name="Overridden">Whether that value differs from configuration (an override is stored in the cookie).</param>
public sealed record ToggleResult(string Name, bool Value, bool Overridden);
