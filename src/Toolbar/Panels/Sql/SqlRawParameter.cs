namespace Toolbar.Panels.Sql;

/// <summary>A parameter as it was bound, kept in memory for EXPLAIN and the runnable SQL.</summary>
internal readonly record struct SqlRawParameter(string Name, object? Value, System.Data.DbType DbType, System.Data.ParameterDirection Direction = System.Data.ParameterDirection.Input);
