using Microsoft.Extensions.Logging;

namespace Toolbar.Panels.Logs;

/// <summary>Raw log records of one request, gathered from any thread of its execution context.</summary>
internal sealed class LogState
{
    /// <summary>Records kept per request; beyond it only the counts grow, so a chatty loop cannot exhaust memory.</summary>
    public const int MaxRecords = 1000;

    private readonly Lock _lock = new();
    private List<RawLog>? _records;
    private int _total;
    private int _warnings;
    private int _errors;

    /// <summary>The panel that created this state (several apps may share one process, e.g. in tests).</summary>
    public LogsPanel? Owner { get; set; }

    public void Add(RawLog log)
    {
        lock (_lock)
        {
            _total++;
            if (log.Level == LogLevel.Warning)
            {
                _warnings++;
            }
            else if (log.Level >= LogLevel.Error)
            {
                _errors++;
            }

            _records ??= [];
            if (_records.Count < MaxRecords)
            {
                _records.Add(log);
            }
        }
    }

    public (RawLog[] Records, int Total, int Warnings, int Errors) Snapshot()
    {
        lock (_lock)
        {
            return (_records is null ? [] : [.. _records], _total, _warnings, _errors);
        }
    }
}

/// <summary>A log record as captured: the message is formatted at once (its state may not outlive the call).</summary>
internal sealed record RawLog(
    LogLevel Level, string Category, string Message, EventId EventId, List<string>? Scopes, Exception? Exception, double TimestampMs, int ThreadId,
    CapturedFrame? CallSite = null);
