using Toolbar.Panels.Cache;
using Toolbar.Panels.Config;
using Toolbar.Panels.Exceptions;
using Toolbar.Panels.History;
using Toolbar.Panels.Logs;
using Toolbar.Panels.Memory;
using Toolbar.Panels.Request;
using Toolbar.Panels.Routes;
using Toolbar.Panels.Sql;
using Toolbar.Panels.Timing;
using Toolbar.Panels.Views;

namespace Toolbar;

/// <summary>The panels every toolbar starts with, in toolbar order.</summary>
internal static class BuiltInPanels
{
    public static void AddTo(PanelCollection panels)
    {
        panels.Add<TimingPanel>();
        panels.Add<SqlPanel>();
        panels.Add<CachePanel>();
        panels.Add<RoutesPanel>();
        panels.Add<ViewsPanel>();
        panels.Add<MemoryPanel>();
        panels.Add<RequestPanel>();
        panels.Add<LogsPanel>();
        panels.Add<ExceptionsPanel>();
        panels.Add<ConfigPanel>();
        panels.Add<HistoryPanel>();
    }
}
