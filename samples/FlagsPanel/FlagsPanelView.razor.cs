namespace ToolbarFlags;

/// <summary>Renders <see cref="FlagsData"/>: one row per flag, with a toggle for this browser.</summary>
public partial class FlagsPanelView
{
}
