using System.Text.Json.Serialization;

namespace Toolbar.Panels.Sql;

/// <summary>Data of the SQL panel: every database command of one request, with the analysis of repeats.</summary>
public sealed class SqlData
{
    /// <summary>Number of commands the request ran (exact, also beyond <see cref="SqlPanelOptions.MaxQueriesPerRequest"/>).</summary>
    public int Count { get; set; }

    /// <summary>Total time spent in commands, in milliseconds (exact, also beyond the detail cap).</summary>
    public double DurationMs { get; set; }

    /// <summary>Number of commands that failed.</summary>
    public int ErrorCount { get; set; }

    /// <summary>Commands beyond the detail cap: counted in <see cref="Count"/> and <see cref="DurationMs"/> but not listed.</summary>
    public int OmittedCount { get; set; }

    /// <summary>Duration of the whole request in milliseconds, the scale of the bars in the view.</summary>
    public double RequestDurationMs { get; set; }

    /// <summary>The commands in the order they started (at most <see cref="SqlPanelOptions.MaxQueriesPerRequest"/>).</summary>
    public List<SqlQuery> Queries { get; set; } = [];

    /// <summary>Statements repeated with different parameters at least <see cref="SqlPanelOptions.NPlusOneThreshold"/> times.</summary>
    public List<SqlNPlusOne> NPlusOne { get; set; } = [];

    /// <summary>Number of commands that repeat an earlier one exactly (same SQL, same parameters).</summary>
    public int DuplicateCount { get; set; }

    /// <summary>The transactions of the request, in the order they began.</summary>
    public List<SqlTransaction> Transactions { get; set; } = [];
}

/// <summary>One database command.</summary>
public sealed class SqlQuery
{
    /// <summary>Position in <see cref="SqlData.Queries"/>, from 0; the key of the EXPLAIN endpoint.</summary>
    public int Index { get; set; }

    /// <summary>The command text exactly as it was sent.</summary>
    public string Sql { get; set; } = "";

    /// <summary>Parameters with their values as text (secret names masked).</summary>
    public List<SqlParameterValue> Parameters { get; set; } = [];

    /// <summary>Execution time in milliseconds (until the command returned, not including reading rows).</summary>
    public double DurationMs { get; set; }

    /// <summary>When the command started, in milliseconds from the request start.</summary>
    public double StartMs { get; set; }

    /// <summary>ADO.NET provider, the namespace of the command type (e.g. <c>Microsoft.Data.Sqlite</c>).</summary>
    public string Provider { get; set; } = "";

    /// <summary>Who reported the command: <c>EF Core</c>, <c>SqlClient</c> or <c>ADO.NET</c> (a profiled connection).</summary>
    public string Source { get; set; } = "";

    /// <summary>Database name of the connection, when known.</summary>
    public string? Database { get; set; }

    /// <summary>How the command was executed: <c>Reader</c>, <c>NonQuery</c> or <c>Scalar</c>.</summary>
    public string? ExecuteMethod { get; set; }

    /// <summary>Rows inserted, updated or deleted, when the provider reports it; <c>null</c> for queries.</summary>
    public int? RowsAffected { get; set; }

    /// <summary>Rows read through a profiled data reader, when known.</summary>
    public int? RowsRead { get; set; }

    /// <summary>The error (<c>Type: message</c>) when the command failed, else <c>null</c>.</summary>
    public string? Error { get; set; }

    /// <summary>The server's code for <see cref="Error"/>: SQLSTATE (e.g. PostgreSQL <c>42P01</c>), when the provider gives one.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>The server's error number for <see cref="Error"/> (MySQL/MariaDB and SQL Server error number, SQLite result code).</summary>
    public int? ErrorNumber { get; set; }

    /// <summary>Whether the command is a single SELECT statement (EXPLAIN is offered for it).</summary>
    public bool IsSelect { get; set; }

    /// <summary>The SQL dialect of the provider: <c>sqlite</c>, <c>postgresql</c>, <c>mysql</c>, <c>sqlserver</c> or <c>generic</c>.</summary>
    public string Dialect { get; set; } = "generic";

    /// <summary><c>Text</c>, or <c>StoredProcedure</c> when <see cref="Sql"/> is a procedure's name.</summary>
    public string CommandType { get; set; } = "Text";

    /// <summary>How many statements the command text holds (more than one for a batch).</summary>
    public int StatementCount { get; set; } = 1;

    /// <summary>The transaction (<see cref="SqlTransaction.Id"/>) the command ran in, or <c>null</c> outside one.</summary>
    public int? TransactionId { get; set; }

    /// <summary>
    /// The statement with its parameters written in as literals of its dialect, to run in a database console; values
    /// of secret-looking parameters stay masked. <c>null</c> when a value cannot be written as a literal.
    /// </summary>
    public string? SqlRunnable { get; set; }

    /// <summary>How many other commands of the request have the same SQL and the same parameters.</summary>
    public int DuplicateCount { get; set; }

    /// <summary>How many other commands of the request have the same SQL with different parameters.</summary>
    public int SimilarCount { get; set; }

    /// <summary>The app's frames that led to the command, innermost first (<c>Namespace.Type.Method</c>; app code as <see cref="AppCode"/> decides).</summary>
    public List<string> Stack { get; set; } = [];

    /// <summary>The same frames with file, line, column and editor link (from the app's PDBs).</summary>
    public List<CodeFrame> Frames { get; set; } = [];

    /// <summary>Where EXPLAIN may reconnect; kept in memory only, never serialized.</summary>
    [JsonIgnore]
    internal SqlConnectionTarget? Target { get; set; }

    /// <summary>Original parameter values for EXPLAIN; kept in memory only, never serialized.</summary>
    [JsonIgnore]
    internal SqlRawParameter[]? RawParameters { get; set; }
}

/// <summary>A command parameter as shown.</summary>
public sealed class SqlParameterValue
{
    /// <summary>Parameter name as given to the command.</summary>
    public string Name { get; set; } = "";

    /// <summary>Value as text; <c>NULL</c> for a database null; masked when the name looks secret.</summary>
    public string? Value { get; set; }

    /// <summary>The parameter's <see cref="System.Data.DbType"/> name.</summary>
    public string? Type { get; set; }
}

/// <summary>An N+1 suspect: one statement run many times with different parameters.</summary>
public sealed class SqlNPlusOne
{
    /// <summary>The repeated SQL text.</summary>
    public string Sql { get; set; } = "";

    /// <summary>How many times it ran.</summary>
    public int Count { get; set; }

    /// <summary>Total time of those runs in milliseconds.</summary>
    public double DurationMs { get; set; }

    /// <summary>The innermost app frame of the first run (the loop to fix), when stacks are captured.</summary>
    public string? CallSite { get; set; }

    /// <summary>Indexes of the runs in <see cref="SqlData.Queries"/>.</summary>
    public List<int> Indexes { get; set; } = [];
}
