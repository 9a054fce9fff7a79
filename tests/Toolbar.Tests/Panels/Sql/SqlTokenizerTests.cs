using Toolbar.Panels.Sql;

namespace Toolbar.Tests.Panels.Sql;

/// <summary>The tokenizer behind EXPLAIN's "exactly one SELECT" check: comments, strings and quotes cannot hide a second statement.</summary>
public sealed class SqlTokenizerTests
{
    public static TheoryData<string> Dialects() => new() { "Generic", "Sqlite", "PostgreSql", "MySql", "SqlServer" };

    private static SqlDialect D(string name) => Enum.Parse<SqlDialect>(name);

    [Theory]
    [MemberData(nameof(Dialects))]
    public void A_quote_inside_a_comment_does_not_hide_a_second_statement(string dialect)
    {
        Assert.False(SqlText.IsSingleSelect("SELECT 1 /* don't */ ; COMMIT; INSERT INTO Items (Id) VALUES (9)", D(dialect)));
        Assert.False(SqlText.IsSingleSelect("SELECT 1 -- don't\n; DELETE FROM Items", D(dialect)));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public void Single_selects_pass(string dialect)
    {
        Assert.True(SqlText.IsSingleSelect("SELECT 1", D(dialect)));
        Assert.True(SqlText.IsSingleSelect("  -- leading comment\n/* and a block */ select a, b FROM t WHERE x = 'a;b' ;  ", D(dialect)));
        Assert.True(SqlText.IsSingleSelect("SELECT 'it''s; fine' AS x", D(dialect)));
        Assert.True(SqlText.IsSingleSelect("WITH x AS (SELECT 1 AS a) SELECT a FROM x", D(dialect)));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public void Anything_but_one_select_is_refused(string dialect)
    {
        Assert.False(SqlText.IsSingleSelect("SELECT 1; SELECT 2", D(dialect)));
        Assert.False(SqlText.IsSingleSelect("DELETE FROM t", D(dialect)));
        Assert.False(SqlText.IsSingleSelect("SELECT * INTO copy FROM t", D(dialect)));
        Assert.False(SqlText.IsSingleSelect("WITH gone AS (DELETE FROM t RETURNING *) SELECT * FROM gone", D(dialect)));
        Assert.False(SqlText.IsSingleSelect("SELECT 'unterminated", D(dialect)));
        Assert.False(SqlText.IsSingleSelect("SELECT 1 /* unterminated", D(dialect)));
        Assert.False(SqlText.IsSingleSelect("", D(dialect)));
        Assert.False(SqlText.IsSingleSelect("SELECTED", D(dialect)));
    }

    [Fact]
    public void Quoted_identifiers_of_each_dialect_are_one_token()
    {
        Assert.True(SqlText.IsSingleSelect("SELECT \"a;b\"\"c\" FROM t", SqlDialect.PostgreSql));
        Assert.True(SqlText.IsSingleSelect("SELECT `a;b``c` FROM t", SqlDialect.MySql));
        Assert.True(SqlText.IsSingleSelect("SELECT [a;b]]c] FROM t", SqlDialect.SqlServer));
        Assert.True(SqlText.IsSingleSelect("SELECT [a;b] FROM t", SqlDialect.Sqlite));
        // PostgreSQL has no [brackets]: there the semicolon is real.
        Assert.False(SqlText.IsSingleSelect("SELECT a[1;DELETE FROM t]", SqlDialect.PostgreSql));
    }

    [Fact]
    public void PostgreSql_nested_comments_dollar_quotes_and_escape_strings()
    {
        Assert.True(SqlText.IsSingleSelect("SELECT 1 /* outer /* inner; */ still comment; */", SqlDialect.PostgreSql));
        // In SQLite comments do not nest: the first */ ends it and "still comment;" is code.
        Assert.False(SqlText.IsSingleSelect("SELECT 1 /* outer /* inner; */ still; DELETE FROM t */", SqlDialect.Sqlite));
        Assert.True(SqlText.IsSingleSelect("SELECT $$it's; $ fine$$, $tag$ a;b $$ $tag$", SqlDialect.PostgreSql));
        Assert.False(SqlText.IsSingleSelect("SELECT $tag$ a $tag$; DELETE FROM t", SqlDialect.PostgreSql));
        // E'' strings take backslash escapes: \' does not end the string.
        Assert.True(SqlText.IsSingleSelect("SELECT E'it\\'s; fine'", SqlDialect.PostgreSql));
        // A standard string does not: 'a\' ends at the second quote and the semicolon is real.
        Assert.False(SqlText.IsSingleSelect("SELECT 'a\\'; DELETE FROM t; SELECT '", SqlDialect.PostgreSql));
        Assert.True(SqlText.IsSingleSelect("SELECT $1::int, '{}'::jsonb ? 'a'", SqlDialect.PostgreSql));
    }

    [Fact]
    public void MySql_backslash_escapes_hash_comments_and_executable_comments()
    {
        Assert.True(SqlText.IsSingleSelect("SELECT 'it\\'s; fine', \"a\\\";b\"", SqlDialect.MySql));
        Assert.True(SqlText.IsSingleSelect("SELECT 1 # comment; DELETE\n", SqlDialect.MySql));
        // "--" needs a space in MySQL: 1--1 is arithmetic and the semicolon is real.
        Assert.False(SqlText.IsSingleSelect("SELECT 1--1; DELETE FROM t", SqlDialect.MySql));
        // /*! ... */ runs as SQL in MySQL and MariaDB.
        Assert.False(SqlText.IsSingleSelect("SELECT 1 /*!; DELETE FROM t */", SqlDialect.MySql));
    }

    [Fact]
    public void Statement_count_counts_statements_not_semicolons_in_strings()
    {
        Assert.Equal(2, SqlText.StatementCount("SELECT ';'; SELECT 2;", SqlDialect.PostgreSql));
        Assert.Equal(1, SqlText.StatementCount("SELECT 1;;", SqlDialect.Sqlite));
        Assert.Equal(3, SqlText.StatementCount("BEGIN; UPDATE t SET a = 1; COMMIT", SqlDialect.MySql));
    }

    [Fact]
    public void Parameters_are_found_outside_strings_and_comments_only()
    {
        const string Sql = "SELECT @a, '@b', /* @c */ \"@d\", :e, $f, ?, @@version";
        var parameters = SqlTokenizer.Tokenize(Sql, SqlDialect.Sqlite).Where(t => t.Kind == SqlTokenKind.Parameter).Select(t => t.Text(Sql));
        Assert.Equal(["@a", ":e", "$f", "?"], parameters);
    }
}
