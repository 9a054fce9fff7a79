namespace Toolbar.Panels.Sql;

/// <summary>A database transaction of the request: when it began and ended, how, and which commands ran inside it.</summary>
public sealed class SqlTransaction
{
    /// <summary>Number of the transaction within the request, from 1; commands name it in <see cref="SqlQuery.TransactionId"/>.</summary>
    public int Id { get; set; }

    /// <summary>Who reported it: <c>EF Core</c> or <c>ADO.NET</c> (a profiled connection).</summary>
    public string Source { get; set; } = "";

    /// <summary>Isolation level, when known.</summary>
    public string? IsolationLevel { get; set; }

    /// <summary>When it began, in milliseconds from the request start (its first command when the start was not seen).</summary>
    public double StartMs { get; set; }

    /// <summary>How long it lasted in milliseconds, when it ended during the request.</summary>
    public double? DurationMs { get; set; }

    /// <summary><c>committed</c>, <c>rolledBack</c>, <c>failed</c>, or <c>open</c> when it had not ended when the request did.</summary>
    public string Outcome { get; set; } = "open";

    /// <summary>Indexes (in <see cref="SqlData.Queries"/>) of the commands that ran inside it.</summary>
    public List<int> QueryIndexes { get; set; } = [];
}
