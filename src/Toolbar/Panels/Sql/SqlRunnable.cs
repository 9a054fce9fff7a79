using System.Collections;
using System.Data;
using System.Globalization;
using System.Text;

namespace Toolbar.Panels.Sql;

/// <summary>
/// The statement with its parameters written in as literals of its dialect, to paste into a database console.
/// Placeholders are found by the tokenizer (never inside strings or comments); values whose parameter name looks
/// secret stay masked. Built only when somebody looks at the panel.
/// </summary>
internal static class SqlRunnable
{
    /// <summary>Values longer than this are not written in: the statement is then not offered as runnable.</summary>
    public const int MaxValueLength = 100_000;

    public static string? Build(string sql, CommandType commandType, IReadOnlyList<SqlRawParameter> parameters, SqlDialect dialect, SecretMasker masker)
    {
        try
        {
            return commandType == CommandType.StoredProcedure ? Procedure(sql, parameters, dialect, masker) : Inline(sql, parameters, dialect, masker);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static string Inline(string sql, IReadOnlyList<SqlRawParameter> parameters, SqlDialect dialect, SecretMasker masker)
    {
        if (parameters.Count == 0)
        {
            return sql;
        }

        var builder = new StringBuilder(sql.Length + (parameters.Count * 16));
        var positional = 0;
        var last = 0;
        foreach (var token in SqlTokenizer.Tokenize(sql, dialect))
        {
            if (token.Kind != SqlTokenKind.Parameter)
            {
                continue;
            }

            var text = token.Text(sql);
            SqlRawParameter? parameter = null;
            if (text == "?")
            {
                parameter = positional < parameters.Count ? parameters[positional] : null;
                positional++;
            }
            else if (text[0] == '$' && int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && !HasName(parameters, text))
            {
                parameter = number >= 1 && number <= parameters.Count ? parameters[number - 1] : null;
            }
            else
            {
                parameter = Find(parameters, text);
            }

            if (parameter is not { } found)
            {
                // A placeholder nobody bound (or a system variable): leave it as written.
                continue;
            }

            builder.Append(sql, last, token.Start - last).Append(Literal(found, dialect, masker));
            last = token.Start + token.Length;
        }

        return builder.Append(sql, last, sql.Length - last).ToString();
    }

    private static string Procedure(string name, IReadOnlyList<SqlRawParameter> parameters, SqlDialect dialect, SecretMasker masker)
    {
        var inputs = parameters.Where(p => p.Direction is ParameterDirection.Input or ParameterDirection.InputOutput).ToList();
        return dialect switch
        {
            SqlDialect.SqlServer => "EXEC " + name + (inputs.Count == 0 ? "" : " " + string.Join(", ", inputs.Select(p => $"{Prefixed(p.Name)} = {Literal(p, dialect, masker)}"))),
            SqlDialect.PostgreSql or SqlDialect.MySql => $"CALL {name}({string.Join(", ", inputs.Select(p => Literal(p, dialect, masker)))})",
            _ => throw new NotSupportedException(),
        };
    }

    private static string Prefixed(string name) => name.StartsWith('@') ? name : "@" + name;

    private static bool HasName(IReadOnlyList<SqlRawParameter> parameters, string placeholder) => Find(parameters, placeholder) is not null;

    // "@p0", ":p0", "$p0" and "p0" all name the parameter p0 (providers accept the name with or without its prefix).
    private static SqlRawParameter? Find(IReadOnlyList<SqlRawParameter> parameters, string placeholder)
    {
        var bare = placeholder.AsSpan().TrimStart("@:$?");
        foreach (var parameter in parameters)
        {
            if (parameter.Name.AsSpan().TrimStart("@:$?").Equals(bare, StringComparison.OrdinalIgnoreCase))
            {
                return parameter;
            }
        }

        return null;
    }

    /// <summary>One value as a literal of the dialect.</summary>
    public static string Literal(SqlRawParameter parameter, SqlDialect dialect, SecretMasker masker)
    {
        if (parameter.Value is not (null or DBNull) && masker.IsSecret(parameter.Name))
        {
            return String(SecretMasker.Mask, dialect);
        }

        return Literal(parameter.Value, dialect);
    }

    public static string Literal(object? value, SqlDialect dialect) => value switch
    {
        null or DBNull => "NULL",
        bool b => dialect switch
        {
            SqlDialect.PostgreSql or SqlDialect.MySql => b ? "TRUE" : "FALSE",
            _ => b ? "1" : "0",
        },
        string s => s.Length > MaxValueLength ? throw new NotSupportedException() : String(s, dialect),
        char c => String(c.ToString(), dialect),
        char[] chars => chars.Length > MaxValueLength ? throw new NotSupportedException() : String(new string(chars), dialect),
        byte[] bytes => bytes.Length > MaxValueLength / 2 ? throw new NotSupportedException() : Binary(bytes, dialect),
        Guid g => dialect switch
        {
            SqlDialect.PostgreSql => $"'{g:D}'::uuid",
            // Microsoft.Data.Sqlite binds a Guid as a 16-byte blob.
            SqlDialect.Sqlite => Binary(g.ToByteArray(), dialect),
            _ => $"'{g:D}'",
        },
        DateTime d => DateTimeLiteral(d, dialect),
        DateTimeOffset d => dialect switch
        {
            SqlDialect.PostgreSql => $"'{d.ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture)}'::timestamptz",
            SqlDialect.MySql => $"'{d.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}'",
            SqlDialect.SqlServer => $"'{d.ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture)}'",
            _ => $"'{d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture)}'",
        },
        DateOnly d => dialect == SqlDialect.PostgreSql ? $"DATE '{d:yyyy-MM-dd}'" : $"'{d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'",
        TimeOnly t => dialect == SqlDialect.PostgreSql ? $"TIME '{t.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}'" : $"'{t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)}'",
        TimeSpan t => dialect == SqlDialect.PostgreSql ? $"INTERVAL '{t.ToString("c", CultureInfo.InvariantCulture)}'" : $"'{t.ToString("c", CultureInfo.InvariantCulture)}'",
        Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        double d when double.IsNaN(d) || double.IsInfinity(d) => dialect == SqlDialect.PostgreSql ? $"'{d.ToString(CultureInfo.InvariantCulture)}'::float8" : throw new NotSupportedException(),
        float f when float.IsNaN(f) || float.IsInfinity(f) => dialect == SqlDialect.PostgreSql ? $"'{f.ToString(CultureInfo.InvariantCulture)}'::float4" : throw new NotSupportedException(),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        decimal or byte or sbyte or short or ushort or int or uint or long or ulong => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items when dialect == SqlDialect.PostgreSql => "ARRAY[" + string.Join(", ", items.Cast<object?>().Select(item => Literal(item, dialect))) + "]",
        _ => throw new NotSupportedException(),
    };

    private static string DateTimeLiteral(DateTime d, SqlDialect dialect) => dialect switch
    {
        // Npgsql sends a UTC DateTime as timestamptz and any other as timestamp.
        SqlDialect.PostgreSql => d.Kind == DateTimeKind.Utc
            ? $"'{d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}+00'::timestamptz"
            : $"'{d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}'::timestamp",
        SqlDialect.MySql => $"TIMESTAMP '{d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}'",
        SqlDialect.SqlServer => $"'{d.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture)}'",
        // Microsoft.Data.Sqlite binds a DateTime as this text.
        _ => $"'{d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)}'",
    };

    private static string String(string value, SqlDialect dialect)
    {
        var escaped = value.Replace("'", "''", StringComparison.Ordinal);
        return dialect switch
        {
            // MySQL/MariaDB read backslashes in strings as escapes (unless NO_BACKSLASH_ESCAPES): double them.
            SqlDialect.MySql => "'" + escaped.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal) + "'",
            SqlDialect.SqlServer => "N'" + escaped + "'",
            _ => "'" + escaped + "'",
        };
    }

    private static string Binary(byte[] bytes, SqlDialect dialect) => dialect switch
    {
        SqlDialect.PostgreSql => "'\\x" + Convert.ToHexString(bytes) + "'::bytea",
        SqlDialect.SqlServer => "0x" + Convert.ToHexString(bytes),
        _ => "X'" + Convert.ToHexString(bytes) + "'",
    };
}
