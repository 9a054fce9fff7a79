namespace Toolbar.Panels.Logs;

/// <summary>Data of the logs panel: the <c>ILogger</c> records written while the request ran.</summary>
public sealed class LogsData
{
    /// <summary>The kept records, in the order they were written.</summary>
    public List<LogEntry> Records { get; set; } = [];

    /// <summary>Number of records written, including those beyond the per-request cap.</summary>
    public int Total { get; set; }

    /// <summary>Records written but not kept because the per-request cap was reached.</summary>
    public int Dropped { get; set; }

    /// <summary>Records at warning level (all of them, also dropped ones).</summary>
    public int WarningCount { get; set; }

    /// <summary>Records at error or critical level (all of them, also dropped ones).</summary>
    public int ErrorCount { get; set; }
}
