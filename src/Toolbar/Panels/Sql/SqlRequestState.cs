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
    private readonly Dictionary<object, InFlight> _inFlight = new(ReferenceEqualityComparer.Instance);
    private int _count;
    private int _detailCount;
    private int _errorCount;
    private double _totalMs;
    private bool _open;

    public RequestRecord? Record { get; private set; }

    public SqlPanelOptions Options { get; private set; } = new();

    private readonly Dictionary<string, int> _stacksBySql = new(StringComparer.Ordinal);

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

            var taken = _stacksBySql.GetValueOrDefault(sql);
            if (taken >= Options.MaxStacksPerStatement)
            {
                return false;
            }

            _stacksBySql[sql] = taken + 1;
            return true;
        }
    }

    public void Open(RequestRecord record, SqlPanelOptions options)
    {
        lock (_lock)
        {
            Record = record;
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
            if (!_open || _inFlight.ContainsKey(command) || (alias is not null && _inFlight.ContainsKey(alias)))
            {
                return null;
            }

            SqlCommandRecord? detail = null;
            if (_commands.Count < Options.MaxQueriesPerRequest)
            {
                detail = SqlCommandRecord.Create(command, source, start, stack, connection);
                _commands.Add(detail);
                _detailCount = _commands.Count;
            }

            var flight = new InFlight(source, start, detail, command, alias);
            _inFlight[command] = flight;
            if (alias is not null)
            {
                _inFlight[alias] = flight;
            }

            return flight;
        }
    }

    /// <summary>The command <paramref name="source"/> started, or <c>null</c> when it did not start it.</summary>
    public InFlight? Find(object command, SqlSource source)
    {
        lock (_lock)
        {
            return _inFlight.TryGetValue(command, out var flight) && flight.Source == source ? flight : null;
        }
    }

    /// <summary>Whether any source is running this command object now.</summary>
    public bool IsInFlight(object command)
    {
        lock (_lock)
        {
            return _inFlight.ContainsKey(command);
        }
    }

    /// <summary>Ends a command: counts it, and fills in its detail when kept.</summary>
    public void End(InFlight flight, double? durationMs, string? executeMethod, int? rowsAffected, string? error)
    {
        var duration = durationMs ?? Stopwatch.GetElapsedTime(flight.StartTimestamp).TotalMilliseconds;
        lock (_lock)
        {
            if (!_open || !_inFlight.Remove(flight.Command))
            {
                return;
            }

            if (flight.Alias is not null)
            {
                _inFlight.Remove(flight.Alias);
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
            }
        }
    }

    /// <summary>Counts a command whose start was not seen (e.g. it began before the request was tracked).</summary>
    public void EndUnseen(DbCommand command, SqlSource source, double durationMs, string? executeMethod, int? rowsAffected, string? error)
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
    public (List<SqlCommandRecord> Commands, int Count, double TotalMs, int Errors) Close()
    {
        lock (_lock)
        {
            _open = false;
            _inFlight.Clear();
            var completed = _commands.Where(c => c.IsCompleted).OrderBy(c => c.StartTimestamp).ToList();
            return (completed, _count, _totalMs, _errorCount);
        }
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
