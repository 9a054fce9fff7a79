using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Toolbar.Internal;

namespace Toolbar.Stores;

/// <summary>Turns a finished record into JSON bytes and back, with each panel's data typed by its panel.</summary>
internal static class RecordSerializer
{
    /// <summary>
    /// The record as JSON; with <paramref name="snapshots"/>, shared snapshots become references collected there (the
    /// caller stores them), otherwise they are inline and the JSON stands alone.
    /// </summary>
    public static byte[] Serialize(RequestRecord record, ToolbarRuntime runtime, Dictionary<string, SharedSnapshot>? snapshots = null)
    {
        var buffer = new ArrayBufferWriter<byte>(8 * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ToolbarJson.WriteRecord(writer, record, runtime, snapshots);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The stored shape of a record, with its panel data still raw (see <see cref="Build"/>).</summary>
    public static StoredRecord Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, StoreJsonContext.Default.StoredRecord) ?? throw new JsonException("A stored toolbar record was empty.");

    /// <summary>
    /// Reads a stored record. Data of a panel this app does not have is kept as a <see cref="JsonElement"/>
    /// (the JSON API still shows it); data a panel cannot read any more becomes a panel error, not a failure.
    /// </summary>
    public static RequestRecord Deserialize(ReadOnlySpan<byte> json, ToolbarRuntime runtime) => Build(Parse(json), json.Length, runtime, null);

    /// <summary>
    /// A record from its stored shape. References to shared snapshots are resolved from <paramref name="snapshots"/>
    /// (JSON by hash); a panel whose snapshot is missing there gets a panel error saying it expired, and no data.
    /// </summary>
    public static RequestRecord Build(StoredRecord stored, long size, ToolbarRuntime runtime, IReadOnlyDictionary<string, byte[]>? snapshots)
    {
        var outer = SnapshotScope.Source;
        SnapshotScope.Source = snapshots;
        try
        {
            return BuildCore(stored, size, runtime, snapshots);
        }
        finally
        {
            SnapshotScope.Source = outer;
        }
    }

    private static RequestRecord BuildCore(StoredRecord stored, long size, ToolbarRuntime runtime, IReadOnlyDictionary<string, byte[]>? snapshots)
    {
        var record = new RequestRecord(stored.Id, stored.Method, stored.Path, stored.QueryString, stored.StartedAt, Stopwatch.GetTimestamp())
        {
            StatusCode = stored.StatusCode,
            DurationMs = stored.DurationMs,
            ContentType = stored.ContentType,
            IsAjax = stored.IsAjax,
            IsImported = stored.Imported,
            GrpcStatus = stored.GrpcStatus,
            GrpcMessage = stored.GrpcMessage,
            IsFinished = true,
        };
        record.AddEstimatedBytes(size);
        foreach (var (id, error) in stored.PanelErrors)
        {
            record.PanelErrors[id] = error;
        }

        foreach (var (id, element) in stored.Panels)
        {
            if (!runtime.ById.TryGetValue(id, out var panel))
            {
                // A panel of another app: its data stays JSON (a shared snapshot resolved to its JSON).
                if (!SharedSnapshotReference.TryRead(element, out var foreign))
                {
                    record.Panels[id] = element.Clone();
                }
                else if (snapshots is not null && snapshots.TryGetValue(foreign, out var foreignJson))
                {
                    using var document = JsonDocument.Parse(foreignJson);
                    record.Panels[id] = document.RootElement.Clone();
                }
                else
                {
                    record.Panels[id] = null;
                    record.PanelErrors.TryAdd(id, new SharedSnapshotExpiredException(foreign).Message);
                }

                continue;
            }

            try
            {
                if (SharedSnapshotReference.TryRead(element, out var hash))
                {
                    // The panel's whole data is a shared snapshot: read it, and keep it shared if the record is written again.
                    var json = SharedSnapshotReference.Resolve(hash);
                    var value = JsonSerializer.Deserialize(json, panel.DataType, ToolbarJson.Options) ?? throw new JsonException("A shared snapshot was null.");
                    record.SetSharedPanelData(panel.Id, new RestoredSnapshot(value, panel.DataType, hash, json));
                    continue;
                }

                record.Panels[panel.Id] = element.ValueKind == JsonValueKind.Null ? null : element.Deserialize(panel.DataType, ToolbarJson.Options);
            }
            catch (SharedSnapshotExpiredException ex)
            {
                record.Panels[panel.Id] = null;
                record.PanelErrors.TryAdd(panel.Id, ex.Message);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
            {
                record.PanelErrors.TryAdd(panel.Id, $"stored data could not be read: {ex.Message}");
            }
        }

        return record;
    }

    /// <summary>Each panel's nav subtitle for the record: short facts (e.g. <c>sql</c> → <c>11 queries</c>) for history lists.</summary>
    public static Dictionary<string, string>? Badges(RequestRecord record, ToolbarRuntime runtime)
    {
        Dictionary<string, string>? badges = null;
        foreach (var panel in runtime.Panels)
        {
            var data = record.GetPanelData(panel.Id);

            if (data is null)
            {
                continue;
            }

            try
            {
                if (panel.GetNavSubtitle(data) is { Length: > 0 } subtitle)
                {
                    (badges ??= new(StringComparer.Ordinal))[panel.Id] = subtitle;
                }
            }
            catch (Exception)
            {
                // A panel whose subtitle fails simply has no badge; its panel shows the error.
            }
        }

        return badges;
    }
}
