using System.Data;
using System.Data.Common;

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

    /// <summary>The wrapped transaction.</summary>
    public DbTransaction InnerTransaction { get; }

    /// <inheritdoc />
    public override IsolationLevel IsolationLevel => InnerTransaction.IsolationLevel;

    /// <inheritdoc />
    protected override DbConnection DbConnection => _connection;

    /// <inheritdoc />
    public override void Commit() => InnerTransaction.Commit();

    /// <inheritdoc />
    public override void Rollback() => InnerTransaction.Rollback();

    /// <inheritdoc />
    public override Task CommitAsync(CancellationToken cancellationToken = default) => InnerTransaction.CommitAsync(cancellationToken);

    /// <inheritdoc />
    public override Task RollbackAsync(CancellationToken cancellationToken = default) => InnerTransaction.RollbackAsync(cancellationToken);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            InnerTransaction.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => InnerTransaction.DisposeAsync();
}
