using System.Text;
using System.Text.RegularExpressions;

namespace Toolbar.Panels.Sql;

/// <summary>Light SQL text helpers: statement kind and a readable layout. Not a parser; never used to build SQL.</summary>
internal static partial class SqlText
{
    // Words that make a SELECT write something (SELECT ... INTO a table or a file) or a WITH modify data.
    private static readonly HashSet<string> s_writeWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "INTO", "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "COPY", "CREATE", "DROP", "ALTER", "TRUNCATE", "GRANT", "REVOKE", "CALL", "EXEC", "EXECUTE", "OUTFILE", "DUMPFILE",
    };

    /// <summary>
    /// Whether the text is exactly one SELECT (or a WITH ... SELECT) statement, read by a real tokenizer for the
    /// dialect: comments, strings and quoted identifiers cannot hide a second statement. A SELECT that names a
    /// writing keyword outside strings (SELECT ... INTO, a CTE with DELETE) is refused too, as is anything unterminated.
    /// </summary>
    public static bool IsSingleSelect(string sql, SqlDialect dialect = SqlDialect.Generic)
    {
        var tokens = SqlTokenizer.Tokenize(sql, dialect);
        if (tokens.Any(t => t.Unterminated))
        {
            return false;
        }

        var statements = SqlTokenizer.Statements(tokens);
        if (statements.Count != 1)
        {
            return false;
        }

        var words = statements[0].Where(t => t.Kind == SqlTokenKind.Word).Select(t => t.Text(sql)).ToList();
        if (words.Count == 0 || statements[0][0].Kind != SqlTokenKind.Word)
        {
            return false;
        }

        var first = words[0];
        if (first.Equals("WITH", StringComparison.OrdinalIgnoreCase))
        {
            // A WITH is fine only when it ends in a SELECT and nothing in it writes.
            if (!words.Contains("SELECT", StringComparer.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        else if (!first.Equals("SELECT", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !words.Any(s_writeWords.Contains);
    }

    /// <summary>How many statements the text holds (a batch runs several in one command).</summary>
    public static int StatementCount(string sql, SqlDialect dialect) => SqlTokenizer.Statements(SqlTokenizer.Tokenize(sql, dialect)).Count;

    /// <summary>The statement with a line break before each main clause, for reading; the original text is kept separately.</summary>
    public static string Format(string sql)
    {
        if (sql.Length > 20_000)
        {
            return sql;
        }

        string formatted;
        try
        {
            formatted = ClauseRegex().Replace(sql, "\n");
        }
        catch (RegexMatchTimeoutException)
        {
            return sql;
        }

        var builder = new StringBuilder(formatted.Length);
        foreach (var line in formatted.Split('\n'))
        {
            if (line.Trim().Length > 0)
            {
                builder.Append(line.TrimEnd()).Append('\n');
            }
        }

        return builder.ToString().TrimEnd();
    }

    [GeneratedRegex(@"(?<!\b(?:LEFT|RIGHT|INNER|CROSS|OUTER|UNION))\s+(?=\b(?:FROM|WHERE|INNER JOIN|LEFT JOIN|RIGHT JOIN|CROSS JOIN|LEFT OUTER JOIN|JOIN|GROUP BY|ORDER BY|HAVING|LIMIT|OFFSET|UNION ALL|UNION|VALUES|SET|RETURNING)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex ClauseRegex();
}
