using System.Text.Json;

namespace Toolbar.Internal;

/// <summary>The stored form of a shared snapshot inside a record: <c>{"$snapshot": "&lt;hash&gt;"}</c>.</summary>
internal static class SharedSnapshotReference
{
    public static void Write(Utf8JsonWriter writer, SharedSnapshot snapshot, Dictionary<string, SharedSnapshot> sink)
    {
        sink.TryAdd(snapshot.Hash, snapshot);
        writer.WriteStartObject();
        writer.WriteString(SnapshotScope.ReferenceProperty, snapshot.Hash);
        writer.WriteEndObject();
    }

    /// <summary>Reads a reference (moving past it) when the reader is at one; otherwise leaves the reader alone.</summary>
    public static bool TryRead(ref Utf8JsonReader reader, out string hash)
    {
        hash = "";
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var copy = reader;
        if (!copy.Read() || copy.TokenType != JsonTokenType.PropertyName || !copy.ValueTextEquals(SnapshotScope.ReferenceProperty)
            || !copy.Read() || copy.TokenType != JsonTokenType.String)
        {
            return false;
        }

        hash = copy.GetString()!;
        reader.Skip();
        return true;
    }

    /// <summary>The hash when <paramref name="element"/> is a reference.</summary>
    public static bool TryRead(JsonElement element, out string hash)
    {
        hash = "";
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(SnapshotScope.ReferenceProperty, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        hash = value.GetString()!;
        return true;
    }

    /// <summary>The snapshot's JSON from what the store fetched; throws when the store no longer has it.</summary>
    public static byte[] Resolve(string hash) =>
        SnapshotScope.Source is { } source && source.TryGetValue(hash, out var json) ? json : throw new SharedSnapshotExpiredException(hash);
}
