namespace Toolbar.Panels.Sql;

/// <summary>Kinds of <see cref="SqlToken"/>.</summary>
internal enum SqlTokenKind
{
    Whitespace,
    Comment,
    Word,
    QuotedIdentifier,
    String,
    Number,
    Parameter,
    Semicolon,
    Punctuation,
}

/// <summary>One token of SQL text: its kind and where it is. <see cref="Unterminated"/> marks a string, identifier or comment that never closed.</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, int Start, int Length, bool Unterminated = false)
{
    public string Text(string sql) => sql.Substring(Start, Length);

    public bool IsTrivia => Kind is SqlTokenKind.Whitespace or SqlTokenKind.Comment;
}
