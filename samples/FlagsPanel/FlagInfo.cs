namespace ToolbarFlags;

/// <summary>One feature flag as one request saw it.</summary>
public sealed class FlagInfo
{
    /// <summary>Flag name (its key in the configuration section).</summary>
    public string Name { get; set; } = "";

    /// <summary>Whether the flag exists in configuration (an unknown flag read by the app is off).</summary>
    public bool InConfiguration { get; set; }

    /// <summary>The configured value.</summary>
    public bool Configured { get; set; }

    /// <summary>This browser's override at the time of the request, or <c>null</c> when the configured value applies.</summary>
    public bool? Override { get; set; }

    /// <summary>The value that applied to this request: <see cref="Override"/> if set, else <see cref="Configured"/>.</summary>
    public bool Value { get; set; }

    /// <summary>The value the app read during the request, or <c>null</c> when it never asked.</summary>
    public bool? Seen { get; set; }

    /// <summary>How many times the app read the flag during the request.</summary>
    public int Reads { get; set; }
}
