namespace ToolbarFlags;

/// <summary>
/// Reads feature flags from the <c>FeatureFlags</c> configuration section. While the toolbar tracks a
/// request, a flag may be overridden for the current browser (toggled in the Flags panel), and every
/// value read is recorded so the panel can show which branch this request took.
/// </summary>
public interface IFeatureFlags
{
    /// <summary>Whether the flag is on for the current request. Unknown flags are off.</summary>
    bool IsEnabled(string name);
}
