namespace Toolbar.Panels.Logs;

/// <summary>
/// Connects the logger provider (created by the logging system) with the logs panel (created by the
/// toolbar): both get this singleton, the panel announces itself here.
/// </summary>
internal sealed class LogSink
{
    public volatile LogsPanel? Panel;
}
