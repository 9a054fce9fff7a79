using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Extensions.Logging;
using Toolbar.Internal;

namespace Toolbar.Panels.Memory;

/// <summary>The memory panel's snapshot API under <c>{prefix}/panels/memory</c>.</summary>
internal static class MemoryEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, HeapSnapshotStore store)
    {
        endpoints.MapPost("/snapshots", async (ILogger<MemoryPanel> logger) =>
        {
            HeapSnapshot? snapshot;
            try
            {
                snapshot = await store.TryTakeAsync();
            }
            catch (HeapSnapshotException ex)
            {
                logger.LogWarning(ex, "Heap snapshot failed: {Reason}", ex.Message);
                return Json(new { error = ex.Message }, StatusCodes.Status500InternalServerError);
            }
            catch (Exception ex) when (ex is ServerNotAvailableException or UnsupportedCommandException or IOException or UnauthorizedAccessException)
            {
                // The in-process session goes through the runtime's diagnostics port, which DOTNET_EnableDiagnostics=0 turns off.
                logger.LogWarning(ex, "Heap snapshot could not start an EventPipe session");
                return Json(new { error = $"Could not open a diagnostics session on this process ({ex.GetType().Name}: {ex.Message}). Is DOTNET_EnableDiagnostics=0 set?" }, StatusCodes.Status500InternalServerError);
            }

            return snapshot is null
                ? Json(new { error = "A heap snapshot is already being taken; try again when it has finished." }, StatusCodes.Status409Conflict)
                : Json(ToJson(snapshot, withTypes: true));
        });

        endpoints.MapGet("/snapshots", () => Json(store.List().Reverse().Select(s => ToJson(s, withTypes: false))));

        endpoints.MapGet("/snapshots/progress", () =>
        {
            var running = store.Running;
            return Json(running is null
                ? new { running = false, phase = "idle", objects = 0L, elapsedMs = 0.0 }
                : new { running = true, phase = running.Phase, objects = running.Objects, elapsedMs = Math.Round((DateTimeOffset.UtcNow - running.StartedAt).TotalMilliseconds, 1) });
        });

        endpoints.MapGet("/snapshots/{id:int}", (int id) =>
            store.Find(id) is { } snapshot ? Json(ToJson(snapshot, withTypes: true)) : NotFound(id));

        endpoints.MapDelete("/snapshots/{id:int}", (int id) => store.Delete(id) ? Results.NoContent() : NotFound(id));

        endpoints.MapGet("/snapshots/{a:int}/diff/{b:int}", (int a, int b, string? includeToolbar) =>
        {
            var withToolbar = false;
            if (includeToolbar is not null && !bool.TryParse(includeToolbar, out withToolbar))
            {
                return Results.Problem(
                    detail: "includeToolbar must be true or false.",
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Bad includeToolbar");
            }

            var from = store.Find(a);
            var to = store.Find(b);
            if (from is null || to is null)
            {
                return NotFound(from is null ? a : b);
            }

            var types = HeapSnapshotStore.Diff(from, to, withToolbar);
            return Json(new
            {
                includeToolbar = withToolbar,
                from = ToJson(from, withTypes: false),
                to = ToJson(to, withTypes: false),
                countDelta = to.ObjectCount - from.ObjectCount,
                bytesDelta = to.TotalBytes - from.TotalBytes,
                types = types.Select(t => new
                {
                    type = t.Type,
                    typeId = TypeId(t.TypeId),
                    countDelta = t.CountDelta,
                    bytesDelta = t.BytesDelta,
                    countBefore = t.CountBefore,
                    countAfter = t.CountAfter,
                    toolbar = t.Toolbar,
                }),
            });
        });
    }

    /// <summary>Type ids are addresses: as hex strings, because JavaScript numbers cannot hold 64 bits.</summary>
    internal static string TypeId(ulong id) => "0x" + id.ToString("x", CultureInfo.InvariantCulture);

    internal static object ToJson(HeapSnapshot s, bool withTypes) => withTypes
        ? new SnapshotJson(s)
        {
            Types = s.Types.Select(t => new TypeJson(t.Type, TypeId(t.TypeId), t.Count, t.Bytes, t.Toolbar)).ToList(),
        }
        : new SnapshotJson(s);

    private static IResult Json(object value, int status = StatusCodes.Status200OK) => Results.Json(value, ToolbarPanel.JsonOptions, statusCode: status);

    private static IResult NotFound(int id) => Json(new { error = "No stored snapshot has this id.", id }, StatusCodes.Status404NotFound);

    /// <summary>A snapshot as JSON (DESIGN fields first); <see cref="Types"/> is left out of lists.</summary>
    private sealed class SnapshotJson(HeapSnapshot s)
    {
        public int Id => s.Id;

        public DateTimeOffset TakenAt => s.TakenAt;

        public double DurationMs => Math.Round(s.DurationMs, 1);

        public long ObjectCount => s.ObjectCount;

        public long TotalBytes => s.TotalBytes;

        public double PauseMs => Math.Round(s.PauseMs, 1);

        public long GcIndex => s.GcIndex;

        public int TypeCount => s.Types.Count;

        public long HeapStatsBytes => s.HeapStatsBytes;

        public long FragmentedBytes => s.FragmentedBytes;

        public long ToolbarObjectCount => s.ToolbarObjectCount;

        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public List<TypeJson>? Types { get; init; }
    }

    private sealed record TypeJson(string Type, string TypeId, long Count, long Bytes, bool Toolbar);
}
