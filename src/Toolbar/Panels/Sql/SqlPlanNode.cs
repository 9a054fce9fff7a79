namespace Toolbar.Panels.Sql;

/// <summary>One node of a query plan, the same shape for every database.</summary>
public sealed class SqlPlanNode
{
    /// <summary>What the node does (<c>Seq Scan</c>, <c>Index Scan</c>, <c>ALL</c>, <c>SEARCH</c>, <c>Clustered Index Seek</c>...).</summary>
    public string NodeType { get; set; } = "";

    /// <summary>The table it reads, when it reads one.</summary>
    public string? Relation { get; set; }

    /// <summary>The table's alias in the statement, when the database reports it.</summary>
    public string? Alias { get; set; }

    /// <summary>The index it uses, when it uses one.</summary>
    public string? Index { get; set; }

    /// <summary>Rows the planner expects the node to return (per loop), when the database estimates it.</summary>
    public double? EstimatedRows { get; set; }

    /// <summary>The planner's cost for the node and its children, in the database's own units.</summary>
    public double? EstimatedCost { get; set; }

    /// <summary>Rows the node really returned (per loop); only after EXPLAIN ANALYZE.</summary>
    public double? ActualRows { get; set; }

    /// <summary>Time the node really took in milliseconds (total, per loop); only after EXPLAIN ANALYZE.</summary>
    public double? ActualTimeMs { get; set; }

    /// <summary>How many times the node ran; only after EXPLAIN ANALYZE.</summary>
    public double? Loops { get; set; }

    /// <summary>Anything else worth reading (filter, join condition, the database's own text).</summary>
    public string? Detail { get; set; }

    /// <summary>The nodes that feed this one.</summary>
    public List<SqlPlanNode> Children { get; set; } = [];
}
