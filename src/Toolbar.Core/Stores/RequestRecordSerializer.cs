using Toolbar.Internal;

namespace Toolbar.Stores;

/// <summary>
/// Turns a finished record into JSON bytes and back, with each panel's data typed by this app's panel (a service:
/// inject it). For stores that keep records outside the process. Data of a panel this app does not have is kept as
/// JSON; data a panel cannot read any more becomes that panel's error, not a failure.
/// </summary>
public sealed class RequestRecordSerializer
{
    internal RequestRecordSerializer(ToolbarRuntime runtime) => Runtime = runtime;

    internal ToolbarRuntime Runtime { get; }

    /// <summary>The record as UTF-8 JSON (the same shape as <c>GET /_toolbar/api/requests/{id}</c>).</summary>
    /// <param name="record">A finished record.</param>
    public byte[] Serialize(RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return RecordSerializer.Serialize(record, Runtime);
    }

    /// <summary>A record read back from <see cref="Serialize"/>'s bytes.</summary>
    /// <param name="json">UTF-8 JSON written by <see cref="Serialize"/>.</param>
    /// <exception cref="System.Text.Json.JsonException">The bytes are not a stored record.</exception>
    public RequestRecord Deserialize(ReadOnlySpan<byte> json) => RecordSerializer.Deserialize(json, Runtime);
}
