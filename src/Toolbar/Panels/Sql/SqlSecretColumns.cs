using System.Globalization;

namespace Toolbar.Panels.Sql;

/// <summary>
/// Masking by meaning: which parameters of a statement are bound to a column whose name looks secret. EF Core names
/// its parameters <c>@p0…@pN</c>, so the parameter's own name says nothing; the statement does: an INSERT's column
/// list, an UPDATE's SET clause, and comparisons such as <c>"PasswordHash" = @p3</c>.
/// </summary>
internal static class SqlSecretColumns
{
    /// <summary>Indexes into <paramref name="parameters"/> of the parameters bound to secret-looking columns.</summary>
    public static HashSet<int> Find(string sql, SqlDialect dialect, IReadOnlyList<SqlRawParameter> parameters, SecretMasker masker)
    {
        var secret = new HashSet<int>();
        if (parameters.Count == 0 || sql.Length == 0)
        {
            return secret;
        }

        var all = SqlTokenizer.Tokenize(sql, dialect);
        var tokens = all.Where(t => !t.IsTrivia).ToList();
        var positional = PositionalIndexes(all, sql);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (IsWord(tokens[i], sql, "INSERT"))
            {
                i = Insert(tokens, i, sql, parameters, positional, masker, secret);
            }
            else if (IsWord(tokens[i], sql, "SET"))
            {
                i = Set(tokens, i + 1, sql, parameters, positional, masker, secret);
            }
            else if (Is(tokens[i], sql, "=") && i > 0 && i + 1 < tokens.Count)
            {
                // col = @p, @p = col
                if (ColumnName(tokens, i - 1, sql) is { } left && masker.IsSecret(left) && tokens[i + 1].Kind == SqlTokenKind.Parameter)
                {
                    Mark(tokens[i + 1], sql, parameters, positional, secret);
                }
                else if (ColumnName(tokens, LastPartOf(tokens, i + 1, sql), sql) is { } right && masker.IsSecret(right) && tokens[i - 1].Kind == SqlTokenKind.Parameter)
                {
                    Mark(tokens[i - 1], sql, parameters, positional, secret);
                }
            }
        }

        return secret;
    }

    /// <summary>INSERT INTO t (a, b, …) VALUES (x, y, …), (…): each value takes its column's meaning.</summary>
    private static int Insert(List<SqlToken> tokens, int i, string sql, IReadOnlyList<SqlRawParameter> parameters, Dictionary<int, int> positional, SecretMasker masker, HashSet<int> secret)
    {
        var open = tokens.FindIndex(i, t => Is(t, sql, "(") || t.Kind == SqlTokenKind.Semicolon || IsWord(t, sql, "VALUES") || IsWord(t, sql, "SELECT"));
        if (open < 0 || !Is(tokens[open], sql, "("))
        {
            return i;
        }

        var columns = new List<string?>();
        var j = open + 1;
        for (; j < tokens.Count && !Is(tokens[j], sql, ")"); j++)
        {
            if (!Is(tokens[j], sql, ","))
            {
                if (j + 1 < tokens.Count && (Is(tokens[j + 1], sql, ",") || Is(tokens[j + 1], sql, ")")))
                {
                    columns.Add(Unquote(tokens[j], sql));
                }
            }
        }

        var values = tokens.FindIndex(j, t => IsWord(t, sql, "VALUES") || t.Kind == SqlTokenKind.Semicolon);
        if (values < 0 || !IsWord(tokens[values], sql, "VALUES"))
        {
            return j;
        }

        var k = values + 1;
        while (k < tokens.Count && Is(tokens[k], sql, "("))
        {
            var column = 0;
            var depth = 0;
            for (k++; k < tokens.Count; k++)
            {
                var token = tokens[k];
                if (Is(token, sql, "("))
                {
                    depth++;
                }
                else if (Is(token, sql, ")"))
                {
                    if (depth-- == 0)
                    {
                        break;
                    }
                }
                else if (depth == 0 && Is(token, sql, ","))
                {
                    column++;
                }
                else if (token.Kind == SqlTokenKind.Parameter && column < columns.Count && columns[column] is { } name && masker.IsSecret(name))
                {
                    Mark(token, sql, parameters, positional, secret);
                }
            }

            k++;
            if (k < tokens.Count && Is(tokens[k], sql, ","))
            {
                k++;
            }
        }

        return k - 1;
    }

    /// <summary>SET a = x, b = y: each value takes its column's meaning, until the clause ends.</summary>
    private static int Set(List<SqlToken> tokens, int i, string sql, IReadOnlyList<SqlRawParameter> parameters, Dictionary<int, int> positional, SecretMasker masker, HashSet<int> secret)
    {
        string? column = null;
        var depth = 0;
        for (; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == SqlTokenKind.Semicolon || (depth == 0 && token.Kind == SqlTokenKind.Word
                && (IsWord(token, sql, "WHERE") || IsWord(token, sql, "FROM") || IsWord(token, sql, "RETURNING") || IsWord(token, sql, "OUTPUT"))))
            {
                return i - 1;
            }

            if (Is(token, sql, "("))
            {
                depth++;
            }
            else if (Is(token, sql, ")"))
            {
                depth--;
            }
            else if (depth == 0 && Is(token, sql, "=") && i > 0 && column is null)
            {
                column = ColumnName(tokens, i - 1, sql) ?? "";
            }
            else if (depth == 0 && Is(token, sql, ","))
            {
                column = null;
            }
            else if (token.Kind == SqlTokenKind.Parameter && column is { Length: > 0 } && masker.IsSecret(column))
            {
                Mark(token, sql, parameters, positional, secret);
            }
        }

        return i;
    }

    private static void Mark(SqlToken token, string sql, IReadOnlyList<SqlRawParameter> parameters, Dictionary<int, int> positional, HashSet<int> secret)
    {
        var text = token.Text(sql);
        if (text == "?")
        {
            if (positional.TryGetValue(token.Start, out var index) && index < parameters.Count)
            {
                secret.Add(index);
            }

            return;
        }

        var bare = text.AsSpan().TrimStart("@:$?");
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Name.AsSpan().TrimStart("@:$?").Equals(bare, StringComparison.OrdinalIgnoreCase))
            {
                secret.Add(i);
                return;
            }
        }

        // PostgreSQL's $1, $2 … are positions when no parameter has that name.
        if (text[0] == '$' && int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1 && number <= parameters.Count)
        {
            secret.Add(number - 1);
        }
    }

    private static Dictionary<int, int> PositionalIndexes(List<SqlToken> tokens, string sql)
    {
        var map = new Dictionary<int, int>();
        foreach (var token in tokens)
        {
            if (token.Kind == SqlTokenKind.Parameter && token.Length == 1 && sql[token.Start] == '?')
            {
                map[token.Start] = map.Count;
            }
        }

        return map;
    }

    /// <summary>The column a token names (the last part of a qualified name), or <c>null</c>.</summary>
    private static string? ColumnName(List<SqlToken> tokens, int index, string sql) =>
        tokens[index].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier ? Unquote(tokens[index], sql) : null;

    /// <summary>The index of the last part of a qualified name that starts at <paramref name="index"/> (u.pin → pin).</summary>
    private static int LastPartOf(List<SqlToken> tokens, int index, string sql)
    {
        while (index + 2 < tokens.Count && Is(tokens[index + 1], sql, ".") && tokens[index + 2].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            index += 2;
        }

        return index;
    }

    private static string? Unquote(SqlToken token, string sql)
    {
        if (token.Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier))
        {
            return null;
        }

        var text = token.Text(sql);
        return token.Kind == SqlTokenKind.QuotedIdentifier && text.Length >= 2 ? text[1..^1] : text;
    }

    private static bool Is(SqlToken token, string sql, string text) =>
        token.Kind == SqlTokenKind.Punctuation && token.Length == text.Length && string.CompareOrdinal(sql, token.Start, text, 0, text.Length) == 0;

    private static bool IsWord(SqlToken token, string sql, string word) =>
        token.Kind == SqlTokenKind.Word && token.Length == word.Length && string.Compare(sql, token.Start, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0;
}
