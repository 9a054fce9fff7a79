namespace Toolbar.Stores;

/// <summary>
/// One entry of the shared list of recent records that <see cref="DistributedToolbarStore"/> keeps next to the
/// records (serialized as camelCase JSON).
/// </summary>
public sealed class StoredSummary
{
    /// <summary>Record id.</summary>
    public string Id { get; set; } = "";

    /// <summary>HTTP method.</summary>
    public string Method { get; set; } = "";

    /// <summary>Request path.</summary>
    public string Path { get; set; } = "";

    /// <summary>Query string including <c>?</c>, or empty.</summary>
    public string QueryString { get; set; } = "";

    /// <summary>Response status code.</summary>
    public int StatusCode { get; set; }

    /// <summary>Server time in milliseconds.</summary>
    public double DurationMs { get; set; }

    /// <summary>UTC start time; also the list's order (newest first) and the record's expiry base.</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Response content type, when known.</summary>
    public string? ContentType { get; set; }

    /// <summary>Whether the request came from script.</summary>
    public bool IsAjax { get; set; }

    /// <summary>The gRPC status of a gRPC call (non-zero: failed), or <c>null</c> for other requests.</summary>
    public int? GrpcStatus { get; set; }

    /// <summary>The gRPC status message, when the call sent one.</summary>
    public string? GrpcMessage { get; set; }

    /// <summary>Size of the stored record JSON, for the store's byte bound.</summary>
    public long Bytes { get; set; }

    /// <summary>Each panel's nav subtitle for the record.</summary>
    public Dictionary<string, string>? Badges { get; set; }

    /// <summary>The entry as a line of the request history.</summary>
    public RequestSummary ToSummary() =>
        new(Id, Method, Path, StatusCode, DurationMs, StartedAt)
        {
            QueryString = QueryString,
            ContentType = ContentType,
            IsAjax = IsAjax,
            GrpcStatus = GrpcStatus,
            GrpcMessage = GrpcMessage,
            Badges = Badges,
        };
}
