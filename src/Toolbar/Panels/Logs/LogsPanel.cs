using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Toolbar.Panels.Logs;

/// <summary>
/// The logs panel: every <c>ILogger</c> record written while the request ran, attributed through the
/// ambient <see cref="RequestRecord.Current"/> (so logs of background work the request started count too).
/// </summary>
public sealed class LogsPanel : ToolbarPanel<LogsData>
{
    private readonly SecretMasker _masker;
    private readonly AppCode? _appCode;

    /// <summary>Creates the panel and connects it to the toolbar's logger provider.</summary>
    public LogsPanel(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _masker = services.GetService<SecretMasker>() ?? new SecretMasker(new ToolbarOptions().SecretNames);
        _appCode = services.GetService<AppCode>();
        if (services.GetService<LogSink>() is { } sink)
        {
            sink.Panel = this;
        }
    }

    /// <summary>The masker the logger uses for the values of secret-named placeholders ({Password}, {ApiKey}).</summary>
    internal SecretMasker Masker => _masker;

    /// <inheritdoc />
    public override string Id => "logs";

    /// <inheritdoc />
    public override string Title => "Logs";

    /// <inheritdoc />
    public override Type? ViewType => typeof(LogsPanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets =>
    [
        PanelAsset.Embedded<LogsPanel>("logs.css", "Toolbar.Panels.logs.css"),
        PanelAsset.Embedded<LogsPanel>("logs.js", "Toolbar.Panels.logs.js"),
    ];

    /// <inheritdoc />
    public override void OnRequestStarted(PanelContext context) => context.GetState<LogState>().Owner = this;

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        var state = context.Record.FindState<LogState>();
        var (records, total, warnings, errors) = state?.Snapshot() ?? ([], 0, 0, 0);
        long bytes = 0;
        var anyException = false;
        foreach (var raw in records)
        {
            bytes += 96 + (2L * (raw.Category.Length + raw.Message.Length + (raw.Scopes?.Sum(x => x.Length) ?? 0)));
            anyException |= raw.Exception is not null;
        }

        context.Record.AddEstimatedBytes(bytes);
        var facts = (records, total, warnings, errors, _masker, _appCode);
        static LogsData Build((RawLog[] Records, int Total, int Warnings, int Errors, SecretMasker Masker, AppCode? AppCode) s)
        {
            var (records, total, warnings, errors, masker, appCode) = s;
            var data = new LogsData
            {
                Total = total,
                Dropped = total - records.Length,
                WarningCount = warnings,
                ErrorCount = errors,
                Records = new List<LogEntry>(records.Length),
            };
            foreach (var raw in records)
            {
                data.Records.Add(new LogEntry
                {
                    Level = raw.Level,
                    Category = raw.Category,
                    // Log lines quote URLs ("Request starting ... ?token=..."): the same rule as the request panel's query.
                    Message = masker.Truncate(masker.MaskValue(raw.Message)),
                    EventId = raw.EventId.Id,
                    EventName = raw.EventId.Name,
                    Scopes = raw.Scopes?.Select(scope => masker.Truncate(masker.MaskValue(scope))).ToList() ?? [],
                    Exception = masker.Truncate(raw.Exception is null ? null : masker.MaskValue(raw.Exception.ToString())),
                    TimestampMs = Math.Round(raw.TimestampMs, 3),
                    ThreadId = raw.ThreadId,
                    CallSite = raw.CallSite is { } site && appCode is not null ? appCode.Resolve(site) : null,
                });
            }

            return data;
        }

        // An exception's text can still change (a rethrow extends its stack), so a record with one is described now.
        if (anyException)
        {
            var data = Build(facts);
            context.Record.AddEstimatedBytes(data.Records.Sum(r => 2L * (r.Exception?.Length ?? 0)));
            context.SetData(data);
        }
        else
        {
            context.SetLazyData(facts, Build);
        }
    }

    /// <inheritdoc />
    protected override object? Compare(LogsData a, LogsData b) => new
    {
        total = CompareFigure.Of(a.Total, b.Total),
        warningCount = CompareFigure.Of(a.WarningCount, b.WarningCount),
        errorCount = CompareFigure.Of(a.ErrorCount, b.ErrorCount),
    };

    /// <inheritdoc />
    protected override string? GetNavSubtitle(LogsData data)
    {
        var text = data.Total.ToString(CultureInfo.InvariantCulture) + (data.Total == 1 ? " record" : " records");
        if (data.ErrorCount > 0)
        {
            text += $", {data.ErrorCount.ToString(CultureInfo.InvariantCulture)} {(data.ErrorCount == 1 ? "error" : "errors")}";
        }

        if (data.WarningCount > 0)
        {
            text += $", {data.WarningCount.ToString(CultureInfo.InvariantCulture)} {(data.WarningCount == 1 ? "warning" : "warnings")}";
        }

        return text;
    }

    /// <inheritdoc />
    protected override PanelStatus GetStatus(LogsData data) =>
        data.ErrorCount > 0 ? PanelStatus.Error : data.WarningCount > 0 ? PanelStatus.Warning : PanelStatus.Normal;

    /// <summary>Short label of a level for badges and filters.</summary>
    internal static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };
}
