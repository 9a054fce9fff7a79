namespace Toolbar.Panels.Logs;

/// <summary>Renders <see cref="LogsData"/>: a filterable table of log records with level badges.</summary>
public partial class LogsPanelView
{
}
