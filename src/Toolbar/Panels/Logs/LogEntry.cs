using Microsoft.Extensions.Logging;

namespace Toolbar.Panels.Logs;

/// <summary>One log record.</summary>
public sealed class LogEntry
{
    /// <summary>Log level.</summary>
    public LogLevel Level { get; set; }

    /// <summary>Logger category (usually the type that logged).</summary>
    public string Category { get; set; } = "";

    /// <summary>The formatted message.</summary>
    public string Message { get; set; } = "";

    /// <summary>Event id number (0 when none).</summary>
    public int EventId { get; set; }

    /// <summary>Event name, when the logger gave one.</summary>
    public string? EventName { get; set; }

    /// <summary>Active logging scopes, outermost first.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>The exception logged with the record (<c>Type: message</c> and stack), or <c>null</c>.</summary>
    public string? Exception { get; set; }

    /// <summary>Milliseconds from the request start to the record.</summary>
    public double TimestampMs { get; set; }

    /// <summary>The app's own code that wrote the record (method, file, line, editor link), or <c>null</c> when no app frame did (framework logs).</summary>
    public CodeFrame? CallSite { get; set; }

    /// <summary>Managed thread that wrote the record.</summary>
    public int ThreadId { get; set; }
}
