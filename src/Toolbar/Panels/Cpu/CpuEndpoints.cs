using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Toolbar.Panels.Cpu;

/// <summary>
/// The CPU panel's routes: arming a URL (<c>{prefix}/panels/cpu/arm</c>), the profiler's status, and the export of a
/// stored request's profile in speedscope's format (<c>{prefix}/requests/{id}/cpu.speedscope.json</c>).
/// </summary>
internal static class CpuEndpoints
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder endpoints, CpuPanel panel)
    {
        endpoints.MapPost("/arm", (ArmRequest? body) =>
        {
            var url = body?.Url;
            if (string.IsNullOrEmpty(url) || url[0] != '/' || url.StartsWith("//", StringComparison.Ordinal) || url.Length > 8192)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid URL",
                    detail: "Send JSON {\"url\": \"/path?query\"}: the path (with path base) and query string of the request to profile, starting with a single '/'.");
            }

            var expires = panel.Arms.Arm(url);
            return Results.Json(new { armed = url, expiresAt = expires }, Json);
        });

        endpoints.MapGet("/status", () => Results.Json(new { busy = panel.Profiler.Busy, armed = panel.Arms.List() }, Json));
    }

    public static void MapRecord(IEndpointRouteBuilder endpoints, CpuPanel panel)
    {
        endpoints.MapGet("/cpu.speedscope.json", async (string id, IToolbarStore store, CancellationToken ct) =>
        {
            var record = await store.GetAsync(id, ct);
            if (record is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown request", detail: "No stored request has this id.");
            }

            var data = record.GetPanelData<CpuData>(panel.Id);
            if (data is null || !data.Profiled)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not profiled",
                    detail: data?.Refused ?? $"This request was not profiled. Send it with the header '{ProfileRequest.Header}: {ProfileRequest.Value}'.");
            }

            var file = Speedscope.Create(data, $"{record.Method} {record.Path}{record.QueryString}");
            return Results.File(JsonSerializer.SerializeToUtf8Bytes(file, Json), "application/json", $"cpu-{record.Id}.speedscope.json");
        });
    }

    internal sealed record ArmRequest(string? Url);
}
