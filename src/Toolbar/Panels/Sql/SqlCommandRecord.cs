using System.Data.Common;
using System.Diagnostics;
using System.Globalization;

namespace Toolbar.Panels.Sql;

/// <summary>Who reported a command. The first observer of a command object owns it; the others stay silent.</summary>
internal enum SqlSource
{
    EFCore,
    SqlClient,
    Profiled,
}

/// <summary>Raw facts about one command, gathered cheaply while the request runs; turned into a <see cref="SqlQuery"/> at the end.</summary>
internal sealed class SqlCommandRecord
{
    public required SqlSource Source { get; init; }

    public required string Sql { get; init; }

    public required string Provider { get; init; }

    public string? Database { get; init; }

    public SqlConnectionTarget? Target { get; init; }

    public SqlRawParameter[] Parameters { get; init; } = [];

    public required long StartTimestamp { get; init; }

    /// <summary>Raw stack, resolved to app frames only when the request finishes.</summary>
    public StackTrace? Stack { get; init; }

    public string? ExecuteMethod { get; set; }

    public double DurationMs { get; set; } = double.NaN;

    public int? RowsAffected { get; set; }

    public int? RowsRead { get; set; }

    public string? Error { get; set; }

    /// <summary>The server's code for the error: SQLSTATE (<see cref="DbException.SqlState"/>) when the provider gives one.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>The server's error number (MySQL/MariaDB and SQL Server <c>Number</c>, SQLite's result code).</summary>
    public int? ErrorNumber { get; set; }

    public System.Data.CommandType CommandType { get; init; } = System.Data.CommandType.Text;

    /// <summary>The transaction the command ran in (the provider's own transaction object), when it ran in one.</summary>
    public System.Data.Common.DbTransaction? Transaction { get; set; }

    /// <summary>The request's number for <see cref="Transaction"/>, set when the command starts.</summary>
    public int? TransactionId { get; set; }

    public bool IsCompleted => !double.IsNaN(DurationMs);

    /// <summary>Snapshots what a command is about to run: its text and the parameters as bound now.</summary>
    public static SqlCommandRecord Create(DbCommand command, SqlSource source, long startTimestamp, StackTrace? stack, DbConnection? connection, SqlConnectionTarget? previousTarget = null)
    {
        // A profiled wrapper seen by EF Core: describe the real provider's command and connection.
        if (command is ProfiledDbCommand profiled)
        {
            command = profiled.InnerCommand;
        }

        if (connection is ProfiledDbConnection profiledConnection)
        {
            connection = profiledConnection.InnerConnection;
        }

        SqlRawParameter[] parameters = [];
        var count = command.Parameters.Count;
        if (count > 0)
        {
            parameters = new SqlRawParameter[count];
            for (var i = 0; i < count; i++)
            {
                var p = command.Parameters[i];
                // Arrays are copied: the app may reuse a buffer, and the value is shown (or EXPLAINed) later.
                var value = p.Value switch
                {
                    byte[] bytes => bytes.Clone(),
                    char[] chars => chars.Clone(),
                    var other => other,
                };
                parameters[i] = new SqlRawParameter(p.ParameterName, value, p.DbType, p.Direction);
            }
        }

        var provider = command.GetType().Namespace ?? command.GetType().Name;
        DbTransaction? transaction = null;
        try
        {
            transaction = command.Transaction is ProfiledDbTransaction profiledTransaction ? profiledTransaction.InnerTransaction : command.Transaction;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ObjectDisposedException)
        {
            // Not every provider exposes it in every state.
        }

        string? database = null;
        SqlConnectionTarget? target = null;
        if (connection is not null)
        {
            try
            {
                database = connection.Database;
                // Commands of a request mostly share one connection: share its target too.
                target = previousTarget is not null && previousTarget.ConnectionType == connection.GetType() && previousTarget.ConnectionString == connection.ConnectionString
                    ? previousTarget
                    : SqlConnectionTarget.For(connection);
            }
            catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ObjectDisposedException or ArgumentException)
            {
                // A provider may refuse to answer in some states; the command is still worth recording.
            }
        }

        return new SqlCommandRecord
        {
            Source = source,
            Sql = command.CommandText ?? "",
            Provider = provider,
            Database = database,
            Target = target,
            Parameters = parameters,
            StartTimestamp = startTimestamp,
            Stack = stack,
            CommandType = command.CommandType,
            Transaction = transaction,
        };
    }

    /// <summary>Text of a parameter value for display.</summary>
    public static string? FormatValue(object? value, int maxLength)
    {
        var text = value switch
        {
            null or DBNull => "NULL",
            string s => s,
            byte[] bytes => "0x" + Convert.ToHexString(bytes, 0, Math.Min(bytes.Length, Math.Max(1, maxLength / 2))) + (bytes.Length * 2 > maxLength ? $"… ({bytes.Length} bytes)" : ""),
            DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
            DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        return text is not null && text.Length > maxLength ? string.Concat(text.AsSpan(0, maxLength), "…") : text;
    }
}
