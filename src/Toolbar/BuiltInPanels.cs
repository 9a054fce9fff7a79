using Toolbar.Panels.Request;
using Toolbar.Panels.Routes;

namespace Toolbar;

/// <summary>The panels every toolbar starts with, in toolbar order.</summary>
internal static class BuiltInPanels
{
    public static void AddTo(PanelCollection panels)
    {
        panels.Add<RoutesPanel>();
        panels.Add<RequestPanel>();
    }
}
