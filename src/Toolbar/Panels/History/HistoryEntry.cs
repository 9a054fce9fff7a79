namespace Toolbar.Panels.History;

/// <summary>One row of the history list, as served by <c>GET {prefix}/panels/history/entries</c>.</summary>
/// <param name="Id">Record id.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path.</param>
/// <param name="QueryString">Query string including <c>?</c>, or empty.</param>
/// <param name="StatusCode">Response status code.</param>
/// <param name="DurationMs">Server time in milliseconds.</param>
/// <param name="StartedAt">UTC start time.</param>
/// <param name="IsAjax">Whether the request came from script (<c>fetch</c>/XHR).</param>
/// <param name="ContentType">Response content type, when known.</param>
/// <param name="Badges">Each panel's short summary of the request (its nav subtitle), by panel id.</param>
public sealed record HistoryEntry(
    string Id, string Method, string Path, string QueryString, int StatusCode, double DurationMs, DateTimeOffset StartedAt,
    bool IsAjax, string? ContentType, IReadOnlyDictionary<string, string> Badges)
{
    /// <summary>The gRPC status of a gRPC call (non-zero: failed), or <c>null</c> for other requests.</summary>
    public int? GrpcStatus { get; init; }

    /// <summary>The gRPC status message, when the call sent one.</summary>
    public string? GrpcMessage { get; init; }
}
