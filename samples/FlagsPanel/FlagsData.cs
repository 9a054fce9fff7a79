namespace ToolbarFlags;

/// <summary>What the Flags panel stores per request.</summary>
public sealed class FlagsData
{
    /// <summary>Every configured flag, then flags the app read that are not configured; by name.</summary>
    public List<FlagInfo> Flags { get; set; } = [];
}
