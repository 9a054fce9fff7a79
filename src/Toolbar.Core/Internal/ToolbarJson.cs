using System.Text.Json;
using System.Text.Json.Serialization;

namespace Toolbar.Internal;

/// <summary>The toolbar's JSON conventions: camelCase, HTML-safe escaping, NaN tolerated.</summary>
internal static class ToolbarJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            // The default encoder escapes <, >, &, ' and non-ASCII: JSON stays inert wherever it lands.
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>
    /// Writes a record with each panel's data serialized as the panel's declared type. With a
    /// <paramref name="snapshots"/> sink (a store writing the record), shared snapshots are written as references
    /// (<c>{"$snapshot": hash}</c>) and collected in the sink, and the record lists their hashes under <c>snapshots</c>;
    /// without one (the JSON API, an export) they are written inline, so the JSON is the same either way.
    /// </summary>
    public static void WriteRecord(Utf8JsonWriter writer, RequestRecord record, ToolbarRuntime runtime, Dictionary<string, SharedSnapshot>? snapshots = null)
    {
        var outer = SnapshotScope.Sink;
        // The record's own references, listed after the panels; the sink may already hold other records' snapshots.
        var referenced = snapshots is null ? null : new Dictionary<string, SharedSnapshot>(StringComparer.Ordinal);
        SnapshotScope.Sink = referenced;
        try
        {
            WriteRecordCore(writer, record, runtime, referenced);
        }
        finally
        {
            SnapshotScope.Sink = outer;
        }

        if (snapshots is not null)
        {
            foreach (var (hash, snapshot) in referenced!)
            {
                snapshots.TryAdd(hash, snapshot);
            }
        }
    }

    private static void WriteRecordCore(Utf8JsonWriter writer, RequestRecord record, ToolbarRuntime runtime, Dictionary<string, SharedSnapshot>? referenced)
    {
        writer.WriteStartObject();
        writer.WriteString("id", record.Id);
        writer.WriteString("method", record.Method);
        writer.WriteString("path", record.Path);
        writer.WriteString("queryString", record.QueryString);
        writer.WriteNumber("statusCode", record.StatusCode);
        writer.WriteNumber("durationMs", Math.Round(record.DurationMs, 3));
        writer.WriteString("startedAt", record.StartedAt);
        writer.WriteString("contentType", record.ContentType);
        writer.WriteBoolean("isAjax", record.IsAjax);
        if (record.IsImported)
        {
            writer.WriteBoolean("imported", true);
        }

        if (record.GrpcStatus is { } grpcStatus)
        {
            writer.WriteNumber("grpcStatus", grpcStatus);
            writer.WriteString("grpcMessage", record.GrpcMessage);
        }

        writer.WriteStartObject("panels");
        // Read once (building deferred data), then copied under the dictionary's own lock alone: the record takes its
        // state lock before the dictionary's, so reading the record while holding the dictionary could deadlock.
        var live = record.Panels;
        Dictionary<string, object?> panels;
        lock (live)
        {
            panels = new Dictionary<string, object?>(live);
        }

        Dictionary<string, string>? serializeErrors = null;
        foreach (var (id, data) in panels)
        {
            if (record.GetSharedPanelData(id, data) is { } shared)
            {
                writer.WritePropertyName(id);
                if (referenced is not null)
                {
                    SharedSnapshotReference.Write(writer, shared, referenced);
                }
                else
                {
                    writer.WriteRawValue(shared.Json.Span, skipInputValidation: true);
                }

                continue;
            }

            var type = runtime.ById.TryGetValue(id, out var panel) ? panel.DataType : data?.GetType() ?? typeof(object);
            byte[] json;
            try
            {
                // Serialized apart first: a panel whose data cannot be serialized must not break the whole record.
                json = JsonSerializer.SerializeToUtf8Bytes(data, type, Options);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                (serializeErrors ??= new(StringComparer.Ordinal))[id] = $"serialize: {ex.GetType().Name}: {ex.Message}";
                json = "null"u8.ToArray();
            }

            writer.WritePropertyName(id);
            writer.WriteRawValue(json, skipInputValidation: true);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("panelErrors");
        lock (record.PanelErrors)
        {
            foreach (var (id, error) in record.PanelErrors)
            {
                writer.WriteString(id, error);
            }

            foreach (var (id, error) in serializeErrors ?? [])
            {
                if (!record.PanelErrors.ContainsKey(id))
                {
                    writer.WriteString(id, error);
                }
            }
        }

        writer.WriteEndObject();
        if (referenced is { Count: > 0 })
        {
            // Read first by a store, so it fetches every snapshot the record needs in one go.
            writer.WriteStartArray("snapshots");
            foreach (var hash in referenced.Keys)
            {
                writer.WriteStringValue(hash);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
