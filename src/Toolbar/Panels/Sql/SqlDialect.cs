namespace Toolbar.Panels.Sql;

/// <summary>The SQL dialect of a provider: how its text is tokenized, how EXPLAIN is asked and how literals are written.</summary>
internal enum SqlDialect
{
    /// <summary>Unknown provider: the tokenizer takes every quoting style it knows, to stay on the safe side.</summary>
    Generic,
    Sqlite,
    PostgreSql,
    MySql,
    SqlServer,
}

/// <summary>Finds the dialect from a provider's connection type or namespace.</summary>
internal static class SqlDialects
{
    public static SqlDialect FromProvider(string? provider) => provider switch
    {
        null => SqlDialect.Generic,
        _ when provider.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) => SqlDialect.Sqlite,
        _ when provider.Contains("Npgsql", StringComparison.Ordinal) => SqlDialect.PostgreSql,
        _ when provider.Contains("MySql", StringComparison.OrdinalIgnoreCase) => SqlDialect.MySql,
        _ when provider.Contains("SqlClient", StringComparison.Ordinal) => SqlDialect.SqlServer,
        _ => SqlDialect.Generic,
    };

    public static SqlDialect FromType(Type? type) => FromProvider(type?.FullName ?? type?.Name);
}
