using Toolbar.Panels.Request;
using Toolbar.Panels.Timing;

namespace Toolbar;

/// <summary>The panels every toolbar starts with, in toolbar order.</summary>
internal static class BuiltInPanels
{
    public static void AddTo(PanelCollection panels)
    {
        panels.Add<TimingPanel>();
        panels.Add<RequestPanel>();
    }
}
