using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Toolbar.Internal;

namespace Toolbar.Stores;

/// <summary>Turns a finished record into JSON bytes and back, with each panel's data typed by its panel.</summary>
internal static class RecordSerializer
{
    public static byte[] Serialize(RequestRecord record, ToolbarRuntime runtime)
    {
        var buffer = new ArrayBufferWriter<byte>(8 * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ToolbarJson.WriteRecord(writer, record, runtime);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads a stored record. Data of a panel this app does not have is kept as a <see cref="JsonElement"/>
    /// (the JSON API still shows it); data a panel cannot read any more becomes a panel error, not a failure.
    /// </summary>
    public static RequestRecord Deserialize(ReadOnlySpan<byte> json, ToolbarRuntime runtime)
    {
        var stored = JsonSerializer.Deserialize(json, StoreJsonContext.Default.StoredRecord)
            ?? throw new JsonException("A stored toolbar record was empty.");
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
        record.AddEstimatedBytes(json.Length);
        foreach (var (id, error) in stored.PanelErrors)
        {
            record.PanelErrors[id] = error;
        }

        foreach (var (id, element) in stored.Panels)
        {
            if (!runtime.ById.TryGetValue(id, out var panel))
            {
                record.Panels[id] = element.Clone();
                continue;
            }

            try
            {
                record.Panels[panel.Id] = element.ValueKind == JsonValueKind.Null ? null : element.Deserialize(panel.DataType, ToolbarJson.Options);
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
