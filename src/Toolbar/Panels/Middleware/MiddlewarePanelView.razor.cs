using System.Globalization;

namespace Toolbar.Panels.Middleware;

/// <summary>Renders <see cref="MiddlewareData"/>: warnings, then the pipeline with each middleware's time.</summary>
public partial class MiddlewarePanelView
{
    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    private string Summary()
    {
        var entered = Data.Middleware.Count(m => m.Calls > 0);
        var end = Data.ShortCircuitedAt is int at && at < Data.Middleware.Count
            ? $"answered by {Data.Middleware[at].Name} (#{at}) without calling next"
            : Data.ReachedEnd ? "reached the end of the pipeline" : "ended at its endpoint";
        return $"{entered} of {Data.Middleware.Count} middleware ran, {Ms(Data.TotalMs)} in all; the request {end}.";
    }

    // Bar positions are numbers we compute, formatted invariantly, applied by the toolbar's script (no inline style).
    private string Percent(double ms) =>
        (Data.TotalMs <= 0 ? 0 : Math.Round(Math.Clamp(ms * 100 / Data.TotalMs, 0, 100), 2)).ToString(CultureInfo.InvariantCulture);

    private static string RowClass(MiddlewareEntry m) => m switch
    {
        { Calls: 0 } => "tb-mw-skipped",
        { ShortCircuited: true } => "tb-row-warn tb-mw-short",
        { Threw: true } => "tb-row-err tb-mw-threw",
        _ => "",
    };

    private static string What(MiddlewareEntry m) => m switch
    {
        { Calls: 0 } => "not reached",
        { ShortCircuited: true } => "answered without calling next",
        { Threw: true } => "an exception passed through",
        { Calls: > 1 } => $"ran {m.Calls} times",
        _ => "",
    };
}
