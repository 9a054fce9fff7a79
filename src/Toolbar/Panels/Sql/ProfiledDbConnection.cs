using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Toolbar;

/// <summary>
/// Wraps any ADO.NET connection (Microsoft.Data.Sqlite, Npgsql, MySqlConnector, ...) so that the
/// commands it runs show in the toolbar's SQL panel; works with Dapper and raw ADO.NET alike.
/// Outside a request the toolbar tracks, every call passes straight through to the wrapped connection.
/// </summary>
/// <example><code>using var connection = new ProfiledDbConnection(new SqliteConnection(connectionString));</code></example>
public sealed class ProfiledDbConnection : DbConnection
{
    private readonly DbConnection _inner;

    /// <summary>Wraps <paramref name="inner"/>; disposing the wrapper disposes it.</summary>
    public ProfiledDbConnection(DbConnection inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _inner.StateChange += OnInnerStateChange;
    }

    /// <summary>The wrapped connection.</summary>
    public DbConnection InnerConnection => _inner;

    /// <inheritdoc />
    [AllowNull]
    public override string ConnectionString
    {
        get => _inner.ConnectionString;
        set => _inner.ConnectionString = value;
    }

    /// <inheritdoc />
    public override int ConnectionTimeout => _inner.ConnectionTimeout;

    /// <inheritdoc />
    public override string Database => _inner.Database;

    /// <inheritdoc />
    public override string DataSource => _inner.DataSource;

    /// <inheritdoc />
    public override string ServerVersion => _inner.ServerVersion;

    /// <inheritdoc />
    public override ConnectionState State => _inner.State;

    /// <inheritdoc />
    public override void ChangeDatabase(string databaseName) => _inner.ChangeDatabase(databaseName);

    /// <inheritdoc />
    public override void Close() => _inner.Close();

    /// <inheritdoc />
    public override void Open() => _inner.Open();

    /// <inheritdoc />
    public override Task OpenAsync(CancellationToken cancellationToken) => _inner.OpenAsync(cancellationToken);

    /// <inheritdoc />
    public override Task CloseAsync() => _inner.CloseAsync();

    /// <inheritdoc />
    public override Task ChangeDatabaseAsync(string databaseName, CancellationToken cancellationToken = default) =>
        _inner.ChangeDatabaseAsync(databaseName, cancellationToken);

    /// <inheritdoc />
    public override DataTable GetSchema() => _inner.GetSchema();

    /// <inheritdoc />
    public override DataTable GetSchema(string collectionName) => _inner.GetSchema(collectionName);

    /// <inheritdoc />
    public override DataTable GetSchema(string collectionName, string?[] restrictionValues) => _inner.GetSchema(collectionName, restrictionValues);

    /// <inheritdoc />
    public override void EnlistTransaction(System.Transactions.Transaction? transaction) => _inner.EnlistTransaction(transaction);

    /// <inheritdoc />
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        ProfiledDbTransaction.Started(_inner.BeginTransaction(isolationLevel), this);

    /// <inheritdoc />
    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken) =>
        ProfiledDbTransaction.Started(await _inner.BeginTransactionAsync(isolationLevel, cancellationToken).ConfigureAwait(false), this);

    /// <inheritdoc />
    protected override DbCommand CreateDbCommand() => new ProfiledDbCommand(_inner.CreateCommand(), this);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.StateChange -= OnInnerStateChange;
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        _inner.StateChange -= OnInnerStateChange;
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void OnInnerStateChange(object sender, StateChangeEventArgs e) => OnStateChange(e);
}
