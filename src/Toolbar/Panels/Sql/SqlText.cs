using System.Text;
using System.Text.RegularExpressions;

namespace Toolbar.Panels.Sql;

/// <summary>Light SQL text helpers: statement kind and a readable layout. Not a parser; never used to build SQL.</summary>
internal static partial class SqlText
{
    /// <summary>Whether the text is one SELECT statement (leading comments and whitespace allowed, no second statement).</summary>
    public static bool IsSingleSelect(string sql)
    {
        var body = StripLeadingComments(sql).Trim().TrimEnd(';').TrimEnd();
        if (!body.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || body.Length == 6 || char.IsLetterOrDigit(body[6]))
        {
            return false;
        }

        // A semicolon outside quotes means a second statement, which EXPLAIN must never run.
        var quote = '\0';
        foreach (var c in body)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"' or '`')
            {
                quote = c;
            }
            else if (c == ';')
            {
                return false;
            }
        }

        return true;
    }

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

    private static string StripLeadingComments(string sql)
    {
        var text = sql.TrimStart();
        while (true)
        {
            if (text.StartsWith("--", StringComparison.Ordinal))
            {
                var end = text.IndexOf('\n', StringComparison.Ordinal);
                text = end < 0 ? "" : text[(end + 1)..].TrimStart();
            }
            else if (text.StartsWith("/*", StringComparison.Ordinal))
            {
                var end = text.IndexOf("*/", 2, StringComparison.Ordinal);
                text = end < 0 ? "" : text[(end + 2)..].TrimStart();
            }
            else
            {
                return text;
            }
        }
    }

    [GeneratedRegex(@"(?<!\b(?:LEFT|RIGHT|INNER|CROSS|OUTER|UNION))\s+(?=\b(?:FROM|WHERE|INNER JOIN|LEFT JOIN|RIGHT JOIN|CROSS JOIN|LEFT OUTER JOIN|JOIN|GROUP BY|ORDER BY|HAVING|LIMIT|OFFSET|UNION ALL|UNION|VALUES|SET|RETURNING)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex ClauseRegex();
}
