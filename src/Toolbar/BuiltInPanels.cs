using Toolbar.Panels.Config;
using Toolbar.Panels.Exceptions;
using Toolbar.Panels.Logs;
using Toolbar.Panels.Request;

namespace Toolbar;

/// <summary>The panels every toolbar starts with, in toolbar order.</summary>
internal static class BuiltInPanels
{
    public static void AddTo(PanelCollection panels)
    {
        panels.Add<RequestPanel>();
        panels.Add<LogsPanel>();
        panels.Add<ExceptionsPanel>();
        panels.Add<ConfigPanel>();
    }
}
