using Toolbar.Panels.Config;
using Toolbar.Panels.Cpu;
using Toolbar.Panels.Exceptions;
using Toolbar.Panels.History;
using Toolbar.Panels.Logs;
using Toolbar.Panels.Memory;
using Toolbar.Panels.Request;
using Toolbar.Panels.Routes;
using Toolbar.Panels.Sql;
using Toolbar.Panels.Timing;

namespace Toolbar;

/// <summary>The panels every toolbar starts with, in toolbar order.</summary>
internal static class BuiltInPanels
{
    public static void AddTo(PanelCollection panels)
    {
        panels.Add<TimingPanel>();
        panels.Add<SqlPanel>();
        panels.Add<RoutesPanel>();
        panels.Add<MemoryPanel>();
        panels.Add<CpuPanel>();
        panels.Add<RequestPanel>();
        panels.Add<LogsPanel>();
        panels.Add<ExceptionsPanel>();
        panels.Add<ConfigPanel>();
        panels.Add<HistoryPanel>();
    }
}
