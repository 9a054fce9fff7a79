using System.Globalization;

namespace Toolbar.Panels.Sql;

/// <summary>Renders <see cref="SqlData"/>: totals, N+1 warnings, and every query with its bar, badges, details and EXPLAIN button.</summary>
public partial class SqlPanelView
{
    private HashSet<int> NPlusOneIndexes => _nPlusOne ??= [.. Data.NPlusOne.SelectMany(g => g.Indexes)];

    private HashSet<int>? _nPlusOne;

    private static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private string Percent(double ms) => Data.RequestDurationMs > 0
        ? (ms / Data.RequestDurationMs).ToString("0%", CultureInfo.InvariantCulture)
        : "–";

    private string Pct(double ms) => Data.RequestDurationMs > 0
        ? Math.Clamp(ms / Data.RequestDurationMs * 100, 0, 100).ToString("0.###", CultureInfo.InvariantCulture)
        : "0";

    private static string? RowClass(SqlQuery q, bool inNPlusOne) =>
        q.Error is not null ? "tb-row-err" : inNPlusOne || q.DuplicateCount > 0 ? "tb-row-warn" : null;

    private static string BarClass(SqlQuery q, bool inNPlusOne) =>
        q.Error is not null ? "tb-bar tb-bar-err" : inNPlusOne || q.DuplicateCount > 0 ? "tb-bar tb-bar-warn" : "tb-bar";

    private static string FirstLine(string sql) => sql.Length > 300 ? string.Concat(sql.AsSpan(0, 300), "…") : sql;

    private static string? ErrorCodeText(SqlQuery q) => (q.ErrorCode, q.ErrorNumber) switch
    {
        ({ } state, { } number) => string.Create(CultureInfo.InvariantCulture, $"{number} / SQLSTATE {state}"),
        ({ } state, null) => "SQLSTATE " + state,
        (null, { } number) => string.Create(CultureInfo.InvariantCulture, $"error {number}"),
        _ => null,
    };

    private static string OutcomeText(string outcome) => outcome switch
    {
        "committed" => "committed",
        "rolledBack" => "rolled back",
        "failed" => "failed",
        _ => "still open",
    };

    private static string OutcomeClass(string outcome) => outcome switch
    {
        "committed" => "tb-badge",
        "rolledBack" => "tb-badge tb-badge-warn",
        _ => "tb-badge tb-badge-err",
    };

    private static string RowsText(SqlQuery q) =>
        q.RowsAffected is { } affected ? string.Create(CultureInfo.InvariantCulture, $" · {affected} rows affected")
        : q.RowsRead is { } read ? string.Create(CultureInfo.InvariantCulture, $" · {read} rows read")
        : "";
}
