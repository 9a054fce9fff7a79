namespace Toolbar.Panels.Timing;

/// <summary>Navigation Timing figures of a page, measured by the browser from the start of navigation.</summary>
public sealed class NavigationTiming
{
    /// <summary>Time to first byte in milliseconds.</summary>
    public double? TtfbMs { get; set; }

    /// <summary>End of <c>DOMContentLoaded</c> in milliseconds.</summary>
    public double? DomContentLoadedMs { get; set; }

    /// <summary>End of the <c>load</c> event in milliseconds.</summary>
    public double? LoadMs { get; set; }
}
