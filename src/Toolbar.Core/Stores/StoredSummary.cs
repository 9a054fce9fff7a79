namespace Toolbar.Stores;

/// <summary>One entry of the shared list of recent records kept next to the records in a distributed cache.</summary>
internal sealed class StoredSummary
{
    public string Id { get; set; } = "";

    public string Method { get; set; } = "";

    public string Path { get; set; } = "";

    public string QueryString { get; set; } = "";

    public int StatusCode { get; set; }

    public double DurationMs { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public string? ContentType { get; set; }

    public bool IsAjax { get; set; }

    public int? GrpcStatus { get; set; }

    public string? GrpcMessage { get; set; }

    /// <summary>Size of the stored record JSON, for the store's byte bound.</summary>
    public long Bytes { get; set; }

    public Dictionary<string, string>? Badges { get; set; }

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
