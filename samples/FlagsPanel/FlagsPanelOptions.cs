namespace ToolbarFlags;

/// <summary>Options of the Flags panel.</summary>
public sealed class FlagsPanelOptions
{
    /// <summary>Configuration section whose children are the flags (<c>true</c>/<c>false</c>). Default <c>FeatureFlags</c>.</summary>
    public string Section { get; set; } = "FeatureFlags";

    /// <summary>Name of the cookie that keeps a browser's overrides. Default <c>toolbar-flags</c>.</summary>
    public string CookieName { get; set; } = "toolbar-flags";
}
