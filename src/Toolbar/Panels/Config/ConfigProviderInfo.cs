namespace Toolbar.Panels.Config;

/// <summary>One configuration provider.</summary>
public sealed class ConfigProviderInfo
{
    /// <summary>Position in the provider list (0 = first added, overridden by all others).</summary>
    public int Index { get; set; }

    /// <summary>Readable name, e.g. <c>JSON file appsettings.json</c> or <c>Environment variables (prefix ASPNETCORE_)</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Provider type name.</summary>
    public string Type { get; set; } = "";

    /// <summary>Number of keys this provider supplies.</summary>
    public int KeyCount { get; set; }

    /// <summary>Number of keys whose effective value comes from this provider.</summary>
    public int WinningKeyCount { get; set; }
}
