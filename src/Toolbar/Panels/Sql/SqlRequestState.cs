using System.Data.Common;
using System.Diagnostics;

namespace Toolbar.Panels.Sql;

/// <summary>
/// The SQL panel's collector state for one request. Every source (EF Core events, SqlClient events,
/// profiled connections) reports here; the first source that sees a command object owns it, so a
/// command seen twice (EF Core over SqlClient, EF Core over a profiled connection) counts once.
/// </summary>
internal sealed class SqlRequestState
{
    private readonly Lock _lock = new();
    private readonly List<SqlCommandRecord> _commands = [];
    // Commands (and their aliases) running now: rarely more than one or two, so a list beats a dictionary.
    private readonly List<KeyValuePair<object, InFlight>> _inFlight = new(2);
    private int _count;
    private int _detailCount;
    private int _errorCount;
    private double _totalMs;
    private bool _open;

    public SqlPanelOptions Options { get; private set; } = new();

    private Dictionary<string, int>? _stacksBySql;
    private List<SqlTransactionRecord>? _transactions;
    private SqlConnectionTarget? _lastTarget;

    /// <summary>Whether the next run of <paramref name="sql"/> should capture a stack: it is kept in detail and its statement has stacks to spare.</summary>
    public bool WantsStack(string sql)
    {
        if (!Options.CaptureStackTraces)
        {
            return false;
        }

        lock (_lock)
        {
            if (!_open || _detailCount >= Options.MaxQueriesPerRequest)
            {
                return false;
            }

            _stacksBySql ??= new(StringComparer.Ordinal);
            var taken = _stacksBySql.GetValueOrDefault(sql);
            if (taken >= Options.MaxStacksPerStatement)
            {
                return false;
            }

            _stacksBySql[sql] = taken + 1;
            return true;
        }
    }

    public void Open(SqlPanelOptions options)
    {
        lock (_lock)
        {
            Options = options;
            _open = true;
        }
    }

    /// <summary>Starts a command. Returns <c>null</c> when another source already owns it (or the request is over).</summary>
    public InFlight? Begin(DbCommand command, SqlSource source, DbConnection? connection, object? alias, StackTrace? stack)
    {
        var start = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (!_open || IndexOf(command) >= 0 || (alias is not null && IndexOf(alias) >= 0))
            {
                return null;
            }

            SqlCommandRecord? detail = null;
            if (_commands.Count < Options.MaxQueriesPerRequest)
            {
                detail = SqlCommandRecord.Create(command, source, start, stack, connection, _lastTarget);
                _lastTarget = detail.Target ?? _lastTarget;
                if (detail.Transaction is { } transaction)
                {
                    detail.TransactionId = FindOrAddTransaction(transaction, source, start, startSeen: false).Id;
                }

                _commands.Add(detail);
                _detailCount = _commands.Count;
            }

            var flight = new InFlight(source, start, detail, command, alias);
            _inFlight.Add(new(command, flight));
            if (alias is not null)
            {
                _inFlight.Add(new(alias, flight));
            }

            return flight;
        }
    }

    /// <summary>The command <paramref name="source"/> started, or <c>null</c> when it did not start it.</summary>
    public InFlight? Find(object command, SqlSource source)
    {
        lock (_lock)
        {
            var index = IndexOf(command);
            return index >= 0 && _inFlight[index].Value.Source == source ? _inFlight[index].Value : null;
        }
    }

    /// <summary>Whether any source is running this command object now.</summary>
    public bool IsInFlight(object command)
    {
        lock (_lock)
        {
            return IndexOf(command) >= 0;
        }
    }

    /// <summary>A transaction began (reported by EF Core or a profiled connection; the first report wins).</summary>
    public void TransactionStarted(DbTransaction transaction, SqlSource source)
    {
        var start = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (_open)
            {
                FindOrAddTransaction(transaction, source, start, startSeen: true);
            }
        }
    }

    /// <summary>A transaction ended: <c>committed</c>, <c>rolledBack</c> or <c>failed</c> (the first report wins).</summary>
    public void TransactionEnded(DbTransaction transaction, SqlSource source, string outcome)
    {
        var end = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (!_open)
            {
                return;
            }

            var record = FindOrAddTransaction(transaction, source, end, startSeen: false);
            if (record.Outcome is null)
            {
                record.Outcome = outcome;
                record.EndTimestamp = end;
            }
        }
    }

    // Call under the lock. A provider's transaction object is the identity; a profiled wrapper stands for its inner one.
    private SqlTransactionRecord FindOrAddTransaction(DbTransaction transaction, SqlSource source, long timestamp, bool startSeen)
    {
        if (transaction is ProfiledDbTransaction profiled)
        {
            transaction = profiled.InnerTransaction;
        }

        _transactions ??= [];
        foreach (var existing in _transactions)
        {
            // A finished transaction object is never reused for a new one by the providers we know, but a new start after an end is a new transaction.
            if (ReferenceEquals(existing.Transaction, transaction) && !(startSeen && existing.Outcome is not null))
            {
                return existing;
            }
        }

        string? isolation = null;
        try
        {
            isolation = transaction.IsolationLevel.ToString();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or NotSupportedException)
        {
            // A completed transaction may refuse to answer.
        }

        var record = new SqlTransactionRecord
        {
            Id = _transactions.Count + 1,
            Source = source == SqlSource.EFCore ? "EF Core" : source == SqlSource.SqlClient ? "SqlClient" : "ADO.NET",
            IsolationLevel = isolation,
            StartTimestamp = timestamp,
            StartSeen = startSeen,
            Transaction = transaction,
        };
        _transactions.Add(record);
        return record;
    }

    /// <summary>Ends a command: counts it, and fills in its detail when kept.</summary>
    public void End(InFlight flight, double? durationMs, string? executeMethod, int? rowsAffected, string? error, Exception? exception = null)
    {
        var duration = durationMs ?? Stopwatch.GetElapsedTime(flight.StartTimestamp).TotalMilliseconds;
        lock (_lock)
        {
            var index = IndexOf(flight.Command);
            if (!_open || index < 0)
            {
                return;
            }

            _inFlight.RemoveAt(index);
            if (flight.Alias is not null && IndexOf(flight.Alias) is var aliasIndex and >= 0)
            {
                _inFlight.RemoveAt(aliasIndex);
            }

            _count++;
            _totalMs += duration;
            if (error is not null)
            {
                _errorCount++;
            }

            if (flight.Detail is { } detail)
            {
                detail.DurationMs = duration;
                detail.ExecuteMethod = executeMethod;
                detail.RowsAffected = rowsAffected;
                detail.Error = error;
                (detail.ErrorCode, detail.ErrorNumber) = SqlErrors.Codes(exception);
            }
        }
    }

    /// <summary>Counts a command whose start was not seen (e.g. it began before the request was tracked).</summary>
    public void EndUnseen(DbCommand command, SqlSource source, double durationMs, string? executeMethod, int? rowsAffected, string? error, Exception? exception = null)
    {
        var end = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (!_open)
            {
                return;
            }

            _count++;
            _totalMs += durationMs;
            if (error is not null)
            {
                _errorCount++;
            }

            if (_commands.Count < Options.MaxQueriesPerRequest)
            {
                var start = end - (long)(durationMs * Stopwatch.Frequency / 1000);
                var detail = SqlCommandRecord.Create(command, source, start, null, command.Connection);
                detail.DurationMs = durationMs;
                detail.ExecuteMethod = executeMethod;
                detail.RowsAffected = rowsAffected;
                detail.Error = error;
                (detail.ErrorCode, detail.ErrorNumber) = SqlErrors.Codes(exception);
                if (detail.Transaction is { } transaction)
                {
                    detail.TransactionId = FindOrAddTransaction(transaction, source, start, startSeen: false).Id;
                }

                _commands.Add(detail);
                _detailCount = _commands.Count;
            }
        }
    }

    /// <summary>Totals so far (for <c>Server-Timing</c> at response start).</summary>
    public (int Count, double TotalMs) Totals()
    {
        lock (_lock)
        {
            return (_count, _totalMs);
        }
    }

    /// <summary>Closes the state: later reports are ignored. Returns the completed commands in start order and the totals.</summary>
    public (List<SqlCommandRecord> Commands, int Count, double TotalMs, int Errors, List<SqlTransactionRecord> Transactions) Close()
    {
        lock (_lock)
        {
            _open = false;
            _inFlight.Clear();
            var transactions = _transactions ?? [];
            foreach (var transaction in transactions)
            {
                // The record outlives the request: it must not keep the provider's objects (and their connection) alive.
                transaction.Transaction = null;
            }

            var completed = new List<SqlCommandRecord>(_commands.Count);
            var sorted = true;
            foreach (var command in _commands)
            {
                command.Transaction = null;
                if (command.IsCompleted)
                {
                    sorted &= completed.Count == 0 || completed[^1].StartTimestamp <= command.StartTimestamp;
                    completed.Add(command);
                }
            }

            // Commands are listed as they began; only parallel ones can arrive out of start order.
            if (!sorted)
            {
                completed = [.. completed.OrderBy(c => c.StartTimestamp)];
            }

            return (completed, _count, _totalMs, _errorCount, transactions);
        }
    }

    // Call under the lock. Keys are compared by reference: a command object is the identity of a run.
    private int IndexOf(object key)
    {
        for (var i = 0; i < _inFlight.Count; i++)
        {
            if (ReferenceEquals(_inFlight[i].Key, key))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A command between its start and its end.</summary>
    internal sealed class InFlight(SqlSource source, long startTimestamp, SqlCommandRecord? detail, object command, object? alias)
    {
        public SqlSource Source { get; } = source;

        public long StartTimestamp { get; } = startTimestamp;

        public SqlCommandRecord? Detail { get; } = detail;

        public object Command { get; } = command;

        public object? Alias { get; } = alias;
    }
}
