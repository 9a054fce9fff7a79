using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Toolbar.Internal;

/// <summary>
/// <c>GET {prefix}/api/compare?a={id}&amp;b={id}</c>: the differences of two stored records. The core compares what it
/// owns (status, duration); each panel compares its own data through <see cref="ToolbarPanel.Compare(object, object)"/>.
/// </summary>
internal static class RecordComparer
{
    public static async Task<IResult> HandleAsync(HttpContext http, IToolbarStore store, ToolbarRuntime runtime, ILogger logger)
    {
        var a = http.Request.Query["a"].ToString();
        var b = http.Request.Query["b"].ToString();
        if (!IsId(a) || !IsId(b))
        {
            return Results.Problem(
                title: "Two record ids are needed.",
                detail: "Give the ids of two stored requests as ?a={id}&b={id} (letters, digits, '-' or '_').",
                statusCode: StatusCodes.Status400BadRequest);
        }

        var first = await store.GetAsync(a, http.RequestAborted);
        var second = await store.GetAsync(b, http.RequestAborted);
        if (first is null || second is null)
        {
            return Results.Problem(
                title: "No stored request has this id.",
                detail: "Unknown id: " + (first is null ? a : b),
                statusCode: StatusCodes.Status404NotFound);
        }

        var panels = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var panel in runtime.Panels)
        {
            var dataA = first.GetPanelData(panel.Id);
            var dataB = second.GetPanelData(panel.Id);
            if (dataA is null || dataB is null)
            {
                continue;
            }

            try
            {
                if (panel.Compare(dataA, dataB) is { } diff)
                {
                    panels[panel.Id] = diff;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One panel's failure stays in its own entry; the rest of the comparison is still useful.
                Log.PanelFailed(logger, panel.Id, nameof(ToolbarPanel.Compare), ex);
                panels[panel.Id] = new { error = $"Panel '{panel.Id}' failed to compare: {ex.GetType().Name}: {ex.Message}", panel = panel.Id };
            }
        }

        return Results.Json(
            new
            {
                a = Summary(first),
                b = Summary(second),
                statusCode = new { a = first.StatusCode, b = second.StatusCode },
                durationMs = new { a = Round(first.DurationMs), b = Round(second.DurationMs), delta = Round(Round(second.DurationMs) - Round(first.DurationMs)) },
                panels,
            },
            ToolbarJson.Options);
    }

    private static object Summary(RequestRecord record) => new
    {
        id = record.Id,
        method = record.Method,
        path = record.Path,
        queryString = record.QueryString,
        statusCode = record.StatusCode,
        durationMs = Round(record.DurationMs),
        startedAt = record.StartedAt,
    };

    private static double Round(double value) => Math.Round(value, 3);

    // The toolbar's ids are 32 hex digits; a store may use others, but never empty, long or with punctuation.
    private static bool IsId(string value) => value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
