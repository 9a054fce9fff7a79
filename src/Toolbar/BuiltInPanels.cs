using Toolbar.Panels.Memory;
using Toolbar.Panels.Request;

namespace Toolbar;

/// <summary>The panels every toolbar starts with, in toolbar order.</summary>
internal static class BuiltInPanels
{
    public static void AddTo(PanelCollection panels)
    {
        panels.Add<MemoryPanel>();
        panels.Add<RequestPanel>();
    }
}
