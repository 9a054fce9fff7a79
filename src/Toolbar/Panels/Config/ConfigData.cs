namespace Toolbar.Panels.Config;

/// <summary>
/// Data of the config panel: the app's environment, configuration and runtime. It describes the app, not
/// the request, so one immutable snapshot is shared by every record until the configuration reloads.
/// </summary>
public sealed class ConfigData
{
    /// <summary>Host environment name (Development, Staging...).</summary>
    public string Environment { get; set; } = "";

    /// <summary>Application name.</summary>
    public string ApplicationName { get; set; } = "";

    /// <summary>Content root path.</summary>
    public string ContentRoot { get; set; } = "";

    /// <summary>Configuration providers in the order they were added (a later one wins).</summary>
    public List<ConfigProviderInfo> Providers { get; set; } = [];

    /// <summary>Effective value of every key (secrets masked), by key.</summary>
    public Dictionary<string, string?> Values { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every key with its effective value, the provider that set it and the ones it overrides.</summary>
    public List<ConfigEntry> Entries { get; set; } = [];

    /// <summary>Versions of the runtime and main frameworks (<c>dotnet</c>, <c>aspnetcore</c>, <c>efcore</c> when loaded, <c>toolbar</c>, <c>os</c>...).</summary>
    public Dictionary<string, string> Versions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Garbage collector mode.</summary>
    public GcInfo Gc { get; set; } = new();

    /// <summary>Loaded assemblies with their versions, by name.</summary>
    public List<AssemblyVersion> Assemblies { get; set; } = [];

    /// <summary>UTC time this snapshot was taken.</summary>
    public DateTimeOffset CapturedAt { get; set; }
}
