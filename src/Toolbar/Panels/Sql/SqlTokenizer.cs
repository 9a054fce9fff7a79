namespace Toolbar.Panels.Sql;

/// <summary>
/// Splits SQL text into tokens the way the database would: comments (<c>--</c>, <c>/* */</c>, nested where the
/// dialect nests them, MySQL's <c>#</c>), strings (<c>''</c> escapes, backslash escapes in MySQL and PostgreSQL
/// <c>E''</c> strings, PostgreSQL dollar quotes), quoted identifiers (<c>".."</c>, <c>`..`</c>, <c>[..]</c>) and
/// parameters. It decides what EXPLAIN may run, so where dialects differ it errs towards seeing more code,
/// never less (MySQL's executable <c>/*! */</c> comments are read as code).
/// </summary>
internal static class SqlTokenizer
{
    public static List<SqlToken> Tokenize(string sql, SqlDialect dialect)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var start = i;
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            if (char.IsWhiteSpace(c))
            {
                while (i < sql.Length && char.IsWhiteSpace(sql[i]))
                {
                    i++;
                }

                tokens.Add(new(SqlTokenKind.Whitespace, start, i - start));
            }
            else if (c == '-' && next == '-' && (dialect != SqlDialect.MySql || i + 2 >= sql.Length || char.IsWhiteSpace(sql[i + 2]) || char.IsControl(sql[i + 2])))
            {
                // MySQL needs a space after "--" (otherwise "1--1" is arithmetic), the others do not.
                i = LineEnd(sql, i);
                tokens.Add(new(SqlTokenKind.Comment, start, i - start));
            }
            else if (c == '#' && dialect == SqlDialect.MySql)
            {
                i = LineEnd(sql, i);
                tokens.Add(new(SqlTokenKind.Comment, start, i - start));
            }
            else if (c == '/' && next == '*')
            {
                if (dialect is SqlDialect.MySql or SqlDialect.Generic && i + 2 < sql.Length && (sql[i + 2] == '!' || (sql[i + 2] == 'M' && i + 3 < sql.Length && sql[i + 3] == '!')))
                {
                    // MySQL/MariaDB run the inside of /*! ... */ as SQL: read it as code, not as a comment.
                    i += sql[i + 2] == '!' ? 3 : 4;
                    tokens.Add(new(SqlTokenKind.Punctuation, start, i - start));
                    continue;
                }

                var (end, closed) = BlockCommentEnd(sql, i, nested: dialect is SqlDialect.PostgreSql or SqlDialect.SqlServer);
                i = end;
                tokens.Add(new(SqlTokenKind.Comment, start, i - start, !closed));
            }
            else if (c == '\'')
            {
                var backslash = dialect is SqlDialect.MySql || IsEscapeStringPrefix(sql, tokens, i, dialect);
                var (end, closed) = QuotedEnd(sql, i, '\'', backslash);
                i = end;
                AddOrMerge(tokens, new(SqlTokenKind.String, start, i - start, !closed), sql);
            }
            else if (c == '"')
            {
                // MySQL reads "..." as a string (with backslash escapes) unless ANSI_QUOTES is on; the others as an identifier.
                var (end, closed) = QuotedEnd(sql, i, '"', backslash: dialect == SqlDialect.MySql);
                i = end;
                tokens.Add(new(dialect == SqlDialect.MySql ? SqlTokenKind.String : SqlTokenKind.QuotedIdentifier, start, i - start, !closed));
            }
            else if (c == '`' && dialect is not SqlDialect.PostgreSql and not SqlDialect.SqlServer)
            {
                var (end, closed) = QuotedEnd(sql, i, '`', backslash: false);
                i = end;
                tokens.Add(new(SqlTokenKind.QuotedIdentifier, start, i - start, !closed));
            }
            else if (c == '[' && dialect is SqlDialect.SqlServer or SqlDialect.Sqlite or SqlDialect.Generic)
            {
                var (end, closed) = QuotedEnd(sql, i, ']', backslash: false);
                i = end;
                tokens.Add(new(SqlTokenKind.QuotedIdentifier, start, i - start, !closed));
            }
            else if (c == '$' && dialect is SqlDialect.PostgreSql or SqlDialect.Generic && DollarTag(sql, i) is { } tag)
            {
                var close = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                i = close < 0 ? sql.Length : close + tag.Length;
                tokens.Add(new(SqlTokenKind.String, start, i - start, close < 0));
            }
            else if (c == '$' && char.IsAsciiDigit(next) && dialect is SqlDialect.PostgreSql or SqlDialect.Generic)
            {
                i++;
                while (i < sql.Length && char.IsAsciiDigit(sql[i]))
                {
                    i++;
                }

                tokens.Add(new(SqlTokenKind.Parameter, start, i - start));
            }
            else if ((c == '@' && next != '@' && IsWordStart(next))
                || (c == ':' && dialect is SqlDialect.Sqlite && IsWordStart(next))
                || (c == '$' && dialect is SqlDialect.Sqlite && IsWordStart(next)))
            {
                i = WordEnd(sql, i + 1);
                tokens.Add(new(SqlTokenKind.Parameter, start, i - start));
            }
            else if (c == '?' && dialect is SqlDialect.MySql or SqlDialect.Sqlite or SqlDialect.Generic)
            {
                i++;
                if (dialect == SqlDialect.Sqlite)
                {
                    while (i < sql.Length && char.IsAsciiDigit(sql[i]))
                    {
                        i++;
                    }
                }

                tokens.Add(new(SqlTokenKind.Parameter, start, i - start));
            }
            else if (c == '@' && next == '@')
            {
                // A system variable (@@version): a word, never a parameter.
                i = WordEnd(sql, i + 2);
                tokens.Add(new(SqlTokenKind.Word, start, i - start));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(next)))
            {
                i++;
                while (i < sql.Length && (char.IsAsciiLetterOrDigit(sql[i]) || sql[i] == '.' || sql[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new(SqlTokenKind.Number, start, i - start));
            }
            else if (IsWordStart(c))
            {
                i = WordEnd(sql, i);
                tokens.Add(new(SqlTokenKind.Word, start, i - start));
            }
            else
            {
                i++;
                tokens.Add(new(c == ';' ? SqlTokenKind.Semicolon : SqlTokenKind.Punctuation, start, 1));
            }
        }

        return tokens;
    }

    /// <summary>The statements of the text: tokens between semicolons, trivia dropped, empty statements left out.</summary>
    public static List<List<SqlToken>> Statements(List<SqlToken> tokens)
    {
        var statements = new List<List<SqlToken>>();
        var current = new List<SqlToken>();
        foreach (var token in tokens)
        {
            if (token.Kind == SqlTokenKind.Semicolon)
            {
                if (current.Count > 0)
                {
                    statements.Add(current);
                    current = [];
                }
            }
            else if (!token.IsTrivia)
            {
                current.Add(token);
            }
        }

        if (current.Count > 0)
        {
            statements.Add(current);
        }

        return statements;
    }

    private static bool IsWordStart(char c) => char.IsLetter(c) || c == '_' || c > 127;

    private static int WordEnd(string sql, int i)
    {
        while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$' || sql[i] > 127))
        {
            i++;
        }

        return i;
    }

    private static int LineEnd(string sql, int i)
    {
        var end = sql.IndexOf('\n', i);
        return end < 0 ? sql.Length : end + 1;
    }

    private static (int End, bool Closed) BlockCommentEnd(string sql, int i, bool nested)
    {
        var depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*' && (nested || depth == 0))
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && i + 1 < sql.Length && sql[i + 1] == '/')
            {
                depth--;
                i += 2;
                if (depth == 0)
                {
                    return (i, true);
                }
            }
            else
            {
                i++;
            }
        }

        return (sql.Length, false);
    }

    private static (int End, bool Closed) QuotedEnd(string sql, int i, char close, bool backslash)
    {
        i++;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (backslash && c == '\\')
            {
                i += 2;
            }
            else if (c == close)
            {
                // A doubled closing quote is an escaped one.
                if (i + 1 < sql.Length && sql[i + 1] == close)
                {
                    i += 2;
                }
                else
                {
                    return (i + 1, true);
                }
            }
            else
            {
                i++;
            }
        }

        return (sql.Length, false);
    }

    // PostgreSQL's E'...' strings take backslash escapes: the E is the word token right before the quote.
    private static bool IsEscapeStringPrefix(string sql, List<SqlToken> tokens, int quote, SqlDialect dialect) =>
        dialect is SqlDialect.PostgreSql or SqlDialect.Generic
        && tokens.Count > 0
        && tokens[^1] is { Kind: SqlTokenKind.Word, Length: 1 } word
        && word.Start + 1 == quote
        && sql[word.Start] is 'E' or 'e';

    // A string prefix (E'', N'', X'', B'') glued to its string stays one string token.
    private static void AddOrMerge(List<SqlToken> tokens, SqlToken token, string sql)
    {
        if (tokens.Count > 0 && tokens[^1] is { Kind: SqlTokenKind.Word, Length: <= 2 } prefix && prefix.Start + prefix.Length == token.Start
            && sql.AsSpan(prefix.Start, prefix.Length).ToString().ToUpperInvariant() is "E" or "N" or "X" or "B")
        {
            tokens[^1] = new(SqlTokenKind.String, prefix.Start, prefix.Length + token.Length, token.Unterminated);
            return;
        }

        tokens.Add(token);
    }

    // $tag$ or $$ at i: the tag is empty or an identifier that does not start with a digit.
    private static string? DollarTag(string sql, int i)
    {
        var j = i + 1;
        if (j < sql.Length && sql[j] == '$')
        {
            return "$$";
        }

        if (j >= sql.Length || !(char.IsLetter(sql[j]) || sql[j] == '_'))
        {
            return null;
        }

        while (j < sql.Length && (char.IsLetterOrDigit(sql[j]) || sql[j] == '_'))
        {
            j++;
        }

        return j < sql.Length && sql[j] == '$' ? sql[i..(j + 1)] : null;
    }
}
