namespace Toolbar.Panels.Config;

/// <summary>One configuration key and where its value comes from.</summary>
public sealed class ConfigEntry
{
    /// <summary>Full key, sections separated by <c>:</c>.</summary>
    public string Key { get; set; } = "";

    /// <summary>Effective value (masked when the key or value looks secret).</summary>
    public string? Value { get; set; }

    /// <summary>Whether the value is masked.</summary>
    public bool Masked { get; set; }

    /// <summary>Index of the provider that set the effective value.</summary>
    public int ProviderIndex { get; set; }

    /// <summary>Name of the provider that set the effective value.</summary>
    public string Provider { get; set; } = "";

    /// <summary>Indexes of earlier providers that also set this key (and lost).</summary>
    public List<int> Overrides { get; set; } = [];
}
