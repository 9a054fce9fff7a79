using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Toolbar.Panels.Timing;

/// <summary>
/// <c>POST {prefix}/panels/timing/navigation</c> with JSON <c>{requestId, ttfbMs, domContentLoadedMs, loadMs}</c>:
/// the page's Navigation Timing figures, stored with the page's record. 204 when stored, 400 for invalid
/// input, 404 when the record (or its timing data) is unknown.
/// </summary>
internal static class NavigationTimingEndpoint
{
    /// <summary>Largest accepted figure: ten minutes. Anything above is not a page load worth showing.</summary>
    public const double MaxMs = 600_000;

    private const int MaxBodyBytes = 4096;

    public static void Map(IEndpointRouteBuilder endpoints, TimingPanel panel)
    {
        endpoints.MapPost("/navigation", async (HttpContext http, IToolbarStore store) =>
        {
            var input = await ReadAsync(http.Request, http.RequestAborted);
            if (input is null || !TryValidate(input, out var timing))
            {
                const string Expected = "Expected JSON {requestId, ttfbMs, domContentLoadedMs, loadMs} with finite, non-negative figures of at most ten minutes.";
                return Results.Problem(detail: Expected, statusCode: StatusCodes.Status400BadRequest, title: "Bad navigation timing", extensions: new Dictionary<string, object?> { ["error"] = Expected });
            }

            // Through the store: a store that keeps records serialized (Redis) must write the change back.
            var stored = await store.UpdateAsync(input.RequestId!, record =>
            {
                if (record.GetPanelData<TimingData>(panel.Id) is not { } data)
                {
                    return false;
                }

                data.Navigation = timing;
                return true;
            }, http.RequestAborted);
            return stored
                ? Results.NoContent()
                : Results.NotFound(new { error = "No stored request with timing data has this id.", id = input.RequestId });
        });
    }

    internal static bool TryValidate(NavigationTimingInput input, out NavigationTiming timing)
    {
        timing = new NavigationTiming();
        if (input.RequestId is not { Length: 32 } id || !id.All(char.IsAsciiHexDigitLower) || input.TtfbMs is null)
        {
            return false;
        }

        if (!TryFigure(input.TtfbMs, out var ttfb) || !TryFigure(input.DomContentLoadedMs, out var dom) || !TryFigure(input.LoadMs, out var load))
        {
            return false;
        }

        timing.TtfbMs = ttfb;
        timing.DomContentLoadedMs = dom;
        timing.LoadMs = load;
        return true;
    }

    private static bool TryFigure(double? value, out double? figure)
    {
        figure = value is { } v ? Math.Round(v, 1) : null;
        return value is not { } x || (double.IsFinite(x) && x >= 0 && x <= MaxMs);
    }

    private static async Task<NavigationTimingInput?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBodyBytes || request.HasJsonContentType() is false)
        {
            return null;
        }

        try
        {
            // Read at most MaxBodyBytes + 1: a longer body (without Content-Length) is refused rather than buffered.
            var buffer = new byte[MaxBodyBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }

            return length > MaxBodyBytes ? null : JsonSerializer.Deserialize<NavigationTimingInput>(buffer.AsSpan(0, length), ToolbarPanel.JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Body of the navigation timing endpoint.</summary>
internal sealed class NavigationTimingInput
{
    public string? RequestId { get; set; }

    public double? TtfbMs { get; set; }

    public double? DomContentLoadedMs { get; set; }

    public double? LoadMs { get; set; }
}
