using System.Data.Common;

namespace Toolbar.Panels.Sql;

/// <summary>A transaction seen during a request, while the request runs; becomes a <see cref="SqlTransaction"/> at the end.</summary>
internal sealed class SqlTransactionRecord
{
    public required int Id { get; init; }

    public required string Source { get; init; }

    public string? IsolationLevel { get; init; }

    public required long StartTimestamp { get; init; }

    /// <summary>Whether the start was seen; otherwise it is known only from a command that ran inside it.</summary>
    public bool StartSeen { get; init; }

    public long? EndTimestamp { get; set; }

    /// <summary><c>committed</c>, <c>rolledBack</c> or <c>failed</c>; <c>null</c> while open.</summary>
    public string? Outcome { get; set; }

    /// <summary>The provider's transaction object: the identity commands are matched by. Dropped when the request ends.</summary>
    public DbTransaction? Transaction { get; set; }
}
