namespace Toolbar;

/// <summary>Keeps finished request records. Implementations must be thread-safe.</summary>
public interface IToolbarStore
{
    /// <summary>Stores a finished record.</summary>
    ValueTask AddAsync(RequestRecord record, CancellationToken cancellationToken = default);

    /// <summary>A record by id, or <c>null</c> when unknown or expired.</summary>
    ValueTask<RequestRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes a stored record after its request finished (e.g. adds figures the browser reports later) and keeps
    /// the change: a store that keeps records serialized reads, updates and writes the record back. Never change
    /// the object <see cref="GetAsync"/> returned instead: such a store would lose the change. Two updates of one
    /// record at the same instant may keep only one of them.
    /// </summary>
    /// <param name="id">The record id.</param>
    /// <param name="update">Changes the record; returns <c>false</c> to leave it as it was (nothing is written).</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns><c>true</c> when the record exists and <paramref name="update"/> changed it; <c>false</c> otherwise.</returns>
    ValueTask<bool> UpdateAsync(string id, Func<RequestRecord, bool> update, CancellationToken cancellationToken = default);

    /// <summary>Summaries of the stored records, newest first.</summary>
    ValueTask<IReadOnlyList<RequestSummary>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets every record.</summary>
    ValueTask ClearAsync(CancellationToken cancellationToken = default);
}

/// <summary>One line of the request history.</summary>
/// <param name="Id">Record id.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path.</param>
/// <param name="StatusCode">Response status code.</param>
/// <param name="DurationMs">Server time in milliseconds.</param>
/// <param name="StartedAt">UTC start time.</param>
public sealed record RequestSummary(string Id, string Method, string Path, int StatusCode, double DurationMs, DateTimeOffset StartedAt)
{
    /// <summary>Query string including <c>?</c>, or empty.</summary>
    public string QueryString { get; init; } = "";

    /// <summary>Response content type, when known.</summary>
    public string? ContentType { get; init; }

    /// <summary>Whether the request came from script (<c>fetch</c>/XHR).</summary>
    public bool IsAjax { get; init; }

    /// <summary>Whether the response is an asset (stored only when <see cref="ToolbarOptions.StoreAssets"/> is on).</summary>
    public bool IsAsset { get; init; }

    /// <summary>The gRPC status of a gRPC call (non-zero: failed), or <c>null</c> for other requests.</summary>
    public int? GrpcStatus { get; init; }

    /// <summary>The gRPC status message, when the call sent one.</summary>
    public string? GrpcMessage { get; init; }

    /// <summary>Short per-panel facts for the history list (e.g. <c>sql</c> → <c>11 queries</c>).</summary>
    public IReadOnlyDictionary<string, string>? Badges { get; init; }

    /// <summary>The summary of a record.</summary>
    public static RequestSummary From(RequestRecord record, IReadOnlyDictionary<string, string>? badges = null) =>
        new(record.Id, record.Method, record.Path, record.StatusCode, Math.Round(record.DurationMs, 2), record.StartedAt)
        {
            QueryString = record.QueryString,
            ContentType = record.ContentType,
            IsAjax = record.IsAjax,
            IsAsset = record.IsAsset,
            GrpcStatus = record.GrpcStatus,
            GrpcMessage = record.GrpcMessage,
            Badges = badges,
        };
}
