using System.Text.Json;
using System.Text.Json.Serialization;

namespace Toolbar.Internal;

/// <summary>
/// Writes a snapshot's value inline (its cached JSON when the options are the toolbar's), or <c>{"$snapshot": hash}</c>
/// while a store serializes; reads either form back.
/// </summary>
internal sealed class SharedSnapshotJsonConverter<T> : JsonConverter<SharedSnapshot<T>> where T : class
{
    public override SharedSnapshot<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (SharedSnapshotReference.TryRead(ref reader, out var hash))
        {
            var json = SharedSnapshotReference.Resolve(hash);
            var resolved = JsonSerializer.Deserialize<T>(json, options) ?? throw new JsonException("A shared snapshot was null.");
            return new SharedSnapshot<T>(resolved, hash, json);
        }

        var value = JsonSerializer.Deserialize<T>(ref reader, options) ?? throw new JsonException("A shared snapshot was null.");
        return new SharedSnapshot<T>(value);
    }

    public override void Write(Utf8JsonWriter writer, SharedSnapshot<T> value, JsonSerializerOptions options)
    {
        if (SnapshotScope.Sink is { } sink)
        {
            SharedSnapshotReference.Write(writer, value, sink);
        }
        else if (ReferenceEquals(options, ToolbarJson.Options))
        {
            writer.WriteRawValue(value.Json.Span, skipInputValidation: true);
        }
        else
        {
            JsonSerializer.Serialize(writer, value.Value, options);
        }
    }
}
