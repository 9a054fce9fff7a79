using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Toolbar.Panels.Sql;

/// <summary>
/// The SQL panel: every database command of the request (EF Core and SqlClient without code changes,
/// any ADO.NET provider through <see cref="ProfiledDbConnection"/>), with durations, parameters, call
/// sites, duplicates, N+1 suspects and EXPLAIN on demand.
/// </summary>
public sealed class SqlPanel : ToolbarPanel<SqlData>
{
    private readonly SecretMasker _masker;
    private readonly SqlPanelOptions _options;
    private readonly AppCode _appCode;

    /// <summary>Creates the panel and subscribes, once per process, to the database diagnostic events.</summary>
    public SqlPanel(SecretMasker masker, IOptions<SqlPanelOptions> options, AppCode appCode)
    {
        ArgumentNullException.ThrowIfNull(options);
        _masker = masker;
        _appCode = appCode;
        _options = options.Value;
        SqlDiagnosticSubscriber.EnsureSubscribed();
    }

    /// <inheritdoc />
    public override string Id => "sql";

    /// <inheritdoc />
    public override string Title => "SQL";

    /// <inheritdoc />
    public override Type? ViewType => typeof(SqlPanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets =>
    [
        PanelAsset.Embedded<SqlPanel>("sql.css", "Toolbar.Panels.sql.css"),
        PanelAsset.Embedded<SqlPanel>("sql.js", "Toolbar.Panels.sql.js"),
    ];

    /// <inheritdoc />
    public override IEnumerable<ToolbarMcpTool> GetMcpTools() => SqlMcpTools.Create(Id);

    /// <inheritdoc />
    public override void OnRequestStarted(PanelContext context)
    {
        var state = context.GetState<SqlRequestState>();
        state.Open(_options);
    }

    /// <inheritdoc />
    public override void OnResponseStarting(PanelContext context, ServerTimingBuilder serverTiming)
    {
        ArgumentNullException.ThrowIfNull(serverTiming);
        if (context.Record.FindState<SqlRequestState>() is { } state)
        {
            var (count, totalMs) = state.Totals();
            if (count > 0)
            {
                serverTiming.Add("db", totalMs, count == 1 ? "1 query" : $"{count} queries");
            }
        }
    }

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        if (context.Record.FindState<SqlRequestState>() is not { } state)
        {
            return;
        }

        // The raw commands are kept; masking, stacks and the duplicate/N+1 analysis run when somebody looks.
        var (commands, count, totalMs, errors, transactions) = state.Close();
        var record = context.Record;
        var options = _options;
        var masker = _masker;
        record.AddEstimatedBytes(commands.Sum(c => 200L + (c.Sql.Length * 2L) + SizeOf(c.Parameters) + (c.Stack is null ? 0 : 400)));
        var appCode = _appCode;
        context.SetLazyData((commands, count, totalMs, errors, record, options, masker, appCode, transactions),
            static s => SqlAnalysis.Build(s.commands, s.count, s.totalMs, s.errors, s.record, s.options, s.masker, s.appCode, s.transactions));
    }

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/explain", SqlExplain.HandleAsync);
    }

    /// <inheritdoc />
    protected override object? Compare(SqlData a, SqlData b) => SqlComparison.Compare(a, b);

    /// <inheritdoc />
    protected override string? GetNavSubtitle(SqlData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var text = string.Create(CultureInfo.InvariantCulture, $"{data.Count} {(data.Count == 1 ? "query" : "queries")}, {data.DurationMs:0.0} ms");
        if (data.NPlusOne.Count > 0)
        {
            text += ", N+1";
        }

        if (data.DuplicateCount > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {data.DuplicateCount} dup");
        }

        if (data.ErrorCount > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", {data.ErrorCount} failed");
        }

        return text;
    }

    /// <inheritdoc />
    protected override PanelStatus GetStatus(SqlData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.ErrorCount > 0 ? PanelStatus.Error
            : data.NPlusOne.Count > 0 || data.DuplicateCount > 0 ? PanelStatus.Warning
            : PanelStatus.Normal;
    }

    // A parameter keeps its value until the record goes: count it by what it holds, not by a flat guess.
    private static long SizeOf(SqlRawParameter[] parameters)
    {
        long bytes = 0;
        foreach (var p in parameters)
        {
            bytes += 48 + (2L * p.Name.Length) + p.Value switch
            {
                string s => 2L * s.Length,
                byte[] b => b.Length,
                char[] c => 2L * c.Length,
                _ => 24,
            };
        }

        return bytes;
    }
}
