namespace Toolbar.Panels.Sql;

/// <summary>
/// Enough to open a fresh connection like the one a command used, for EXPLAIN. Held in memory only:
/// a connection string may carry a password, so it never reaches JSON or HTML.
/// </summary>
internal sealed record SqlConnectionTarget(Type ConnectionType, string ConnectionString);

/// <summary>A parameter as it was bound, kept in memory for EXPLAIN.</summary>
internal readonly record struct SqlRawParameter(string Name, object? Value, System.Data.DbType DbType, System.Data.ParameterDirection Direction = System.Data.ParameterDirection.Input);
