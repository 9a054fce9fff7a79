using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Toolbar.Panels.Sql;

namespace Toolbar;

/// <summary>
/// A command of a <see cref="ProfiledDbConnection"/>: runs the wrapped command and reports it to the
/// SQL panel when the current request is tracked.
/// </summary>
public sealed class ProfiledDbCommand : DbCommand
{
    private readonly DbCommand _inner;
    private ProfiledDbConnection? _connection;
    private ProfiledDbTransaction? _transaction;

    internal ProfiledDbCommand(DbCommand inner, ProfiledDbConnection? connection)
    {
        _inner = inner;
        _connection = connection;
    }

    /// <summary>The wrapped command.</summary>
    public DbCommand InnerCommand => _inner;

    /// <inheritdoc />
    [AllowNull]
    public override string CommandText
    {
        get => _inner.CommandText;
        set => _inner.CommandText = value;
    }

    /// <inheritdoc />
    public override int CommandTimeout
    {
        get => _inner.CommandTimeout;
        set => _inner.CommandTimeout = value;
    }

    /// <inheritdoc />
    public override CommandType CommandType
    {
        get => _inner.CommandType;
        set => _inner.CommandType = value;
    }

    /// <inheritdoc />
    public override bool DesignTimeVisible
    {
        get => _inner.DesignTimeVisible;
        set => _inner.DesignTimeVisible = value;
    }

    /// <inheritdoc />
    public override UpdateRowSource UpdatedRowSource
    {
        get => _inner.UpdatedRowSource;
        set => _inner.UpdatedRowSource = value;
    }

    /// <inheritdoc />
    protected override DbConnection? DbConnection
    {
        get => _connection;
        set
        {
            // Accept both wrapped and plain connections; the inner command always gets the plain one.
            _connection = value as ProfiledDbConnection;
            _inner.Connection = value is ProfiledDbConnection profiled ? profiled.InnerConnection : value;
        }
    }

    /// <inheritdoc />
    protected override DbParameterCollection DbParameterCollection => _inner.Parameters;

    /// <inheritdoc />
    protected override DbTransaction? DbTransaction
    {
        get => _transaction ?? _inner.Transaction;
        set
        {
            _transaction = value as ProfiledDbTransaction;
            _inner.Transaction = value is ProfiledDbTransaction profiled ? profiled.InnerTransaction : value;
        }
    }

    /// <inheritdoc />
    public override void Cancel() => _inner.Cancel();

    /// <inheritdoc />
    public override void Prepare() => _inner.Prepare();

    /// <inheritdoc />
    public override Task PrepareAsync(CancellationToken cancellationToken = default) => _inner.PrepareAsync(cancellationToken);

    /// <inheritdoc />
    protected override DbParameter CreateDbParameter() => _inner.CreateParameter();

    /// <inheritdoc />
    public override int ExecuteNonQuery()
    {
        var capture = Begin();
        if (capture is null)
        {
            return _inner.ExecuteNonQuery();
        }

        try
        {
            var rows = _inner.ExecuteNonQuery();
            End(capture, "NonQuery", rows, null);
            return rows;
        }
        catch (Exception ex)
        {
            End(capture, "NonQuery", null, ex);
            throw;
        }
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        var capture = Begin();
        if (capture is null)
        {
            return await _inner.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var rows = await _inner.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            End(capture, "NonQuery", rows, null);
            return rows;
        }
        catch (Exception ex)
        {
            End(capture, "NonQuery", null, ex);
            throw;
        }
    }

    /// <inheritdoc />
    public override object? ExecuteScalar()
    {
        var capture = Begin();
        if (capture is null)
        {
            return _inner.ExecuteScalar();
        }

        try
        {
            var result = _inner.ExecuteScalar();
            End(capture, "Scalar", null, null);
            return result;
        }
        catch (Exception ex)
        {
            End(capture, "Scalar", null, ex);
            throw;
        }
    }

    /// <inheritdoc />
    public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        var capture = Begin();
        if (capture is null)
        {
            return await _inner.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var result = await _inner.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            End(capture, "Scalar", null, null);
            return result;
        }
        catch (Exception ex)
        {
            End(capture, "Scalar", null, ex);
            throw;
        }
    }

    /// <inheritdoc />
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        var capture = Begin();
        if (capture is null)
        {
            return _inner.ExecuteReader(behavior);
        }

        try
        {
            var reader = _inner.ExecuteReader(behavior);
            End(capture, "Reader", null, null);
            return new ProfiledDbDataReader(reader, this, capture.Value.Flight.Detail);
        }
        catch (Exception ex)
        {
            End(capture, "Reader", null, ex);
            throw;
        }
    }

    /// <inheritdoc />
    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        var capture = Begin();
        if (capture is null)
        {
            return await _inner.ExecuteReaderAsync(behavior, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var reader = await _inner.ExecuteReaderAsync(behavior, cancellationToken).ConfigureAwait(false);
            End(capture, "Reader", null, null);
            return new ProfiledDbDataReader(reader, this, capture.Value.Flight.Detail);
        }
        catch (Exception ex)
        {
            End(capture, "Reader", null, ex);
            throw;
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    // The inner command is the key (so SqlClient's events for it stay silent); this wrapper is the alias
    // (so an EF Core context running over a profiled connection, which reports the wrapper, wins once).
    private (SqlRequestState State, SqlRequestState.InFlight Flight)? Begin() =>
        SqlCapture.Begin(_inner, SqlSource.Profiled, _inner.Connection, this);

    private static void End((SqlRequestState State, SqlRequestState.InFlight Flight)? capture, string method, int? rows, Exception? error)
    {
        try
        {
            capture!.Value.State.End(capture.Value.Flight, null, method, rows is >= 0 ? rows : null, error is null ? null : SqlDiagnosticSubscriber.Describe(error), error);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Collection must never change what the app's command returns or throws.
        }
    }
}
