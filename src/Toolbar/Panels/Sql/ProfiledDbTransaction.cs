using System.Data;
using System.Data.Common;
using Toolbar.Panels.Sql;

namespace Toolbar;

/// <summary>A transaction of a <see cref="ProfiledDbConnection"/>; hands the wrapped transaction to commands.</summary>
public sealed class ProfiledDbTransaction : DbTransaction
{
    private readonly ProfiledDbConnection _connection;

    internal ProfiledDbTransaction(DbTransaction inner, ProfiledDbConnection connection)
    {
        InnerTransaction = inner;
        _connection = connection;
    }

    // Reports the start to the SQL panel when the current request is tracked.
    internal static ProfiledDbTransaction Started(DbTransaction inner, ProfiledDbConnection connection)
    {
        Report(inner, null);
        return new ProfiledDbTransaction(inner, connection);
    }

    private static void Report(DbTransaction inner, string? outcome)
    {
        try
        {
            if (SqlCapture.Current is { } state)
            {
                if (outcome is null)
                {
                    state.TransactionStarted(inner, SqlSource.Profiled);
                }
                else
                {
                    state.TransactionEnded(inner, SqlSource.Profiled, outcome);
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Collection must never change what the app's transaction does.
        }
    }

    private bool _ended;

    private void Ended(bool committed, bool failed)
    {
        _ended = true;
        Report(InnerTransaction, failed ? "failed" : committed ? "committed" : "rolledBack");
    }

    /// <summary>The wrapped transaction.</summary>
    public DbTransaction InnerTransaction { get; }

    /// <inheritdoc />
    public override IsolationLevel IsolationLevel => InnerTransaction.IsolationLevel;

    /// <inheritdoc />
    protected override DbConnection DbConnection => _connection;

    /// <inheritdoc />
    public override void Commit()
    {
        try
        {
            InnerTransaction.Commit();
        }
        catch
        {
            Ended(committed: true, failed: true);
            throw;
        }

        Ended(committed: true, failed: false);
    }

    /// <inheritdoc />
    public override void Rollback()
    {
        InnerTransaction.Rollback();
        Ended(committed: false, failed: false);
    }

    /// <inheritdoc />
    public override async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await InnerTransaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Ended(committed: true, failed: true);
            throw;
        }

        Ended(committed: true, failed: false);
    }

    /// <inheritdoc />
    public override async Task RollbackAsync(CancellationToken cancellationToken = default)
    {
        await InnerTransaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        Ended(committed: false, failed: false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            InnerTransaction.Dispose();
            // Disposed without Commit or Rollback: the provider rolled it back.
            if (!_ended)
            {
                Ended(committed: false, failed: false);
            }
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await InnerTransaction.DisposeAsync().ConfigureAwait(false);
        if (!_ended)
        {
            Ended(committed: false, failed: false);
        }
    }
}
