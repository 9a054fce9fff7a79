using System.Data;
using Microsoft.Extensions.Options;
using Toolbar.Panels.Sql;

namespace Toolbar.Tests.Panels.Sql;

/// <summary>Runnable SQL: parameters written in as literals of each dialect (the real servers prove they run: DatabaseSqlTests).</summary>
public sealed class SqlRunnableTests
{
    private static readonly SecretMasker s_masker = new(Options.Create(new ToolbarOptions()));

    private static string? Run(string sql, SqlDialect dialect, params SqlRawParameter[] parameters) =>
        SqlRunnable.Build(sql, CommandType.Text, parameters, dialect, s_masker);

    [Theory]
    [InlineData("PostgreSql", "'it''s \\ ok'")]
    [InlineData("MySql", "'it''s \\\\ ok'")]
    [InlineData("Sqlite", "'it''s \\ ok'")]
    [InlineData("SqlServer", "N'it''s \\ ok'")]
    public void Strings_are_quoted_with_the_dialects_escaping(string dialect, string expected) =>
        Assert.Equal($"SELECT * FROM t WHERE a = {expected}", Run("SELECT * FROM t WHERE a = @a", Enum.Parse<SqlDialect>(dialect), new SqlRawParameter("@a", "it's \\ ok", DbType.String)));

    [Theory]
    [InlineData("PostgreSql", "TRUE", "'\\xDEAD'::bytea", "'2024-02-29 13:45:07.123000'::timestamp")]
    [InlineData("MySql", "TRUE", "X'DEAD'", "TIMESTAMP '2024-02-29 13:45:07.123000'")]
    [InlineData("Sqlite", "1", "X'DEAD'", "'2024-02-29 13:45:07.123'")]
    [InlineData("SqlServer", "1", "0xDEAD", "'2024-02-29T13:45:07.1230000'")]
    public void Booleans_binary_dates_and_nulls_per_dialect(string dialect, string boolean, string binary, string date)
    {
        var sql = Run(
            "SELECT @b, @bin, @d, @n",
            Enum.Parse<SqlDialect>(dialect),
            new SqlRawParameter("@b", true, DbType.Boolean),
            new SqlRawParameter("@bin", new byte[] { 0xDE, 0xAD }, DbType.Binary),
            new SqlRawParameter("@d", new DateTime(2024, 2, 29, 13, 45, 7, 123), DbType.DateTime),
            new SqlRawParameter("@n", DBNull.Value, DbType.String));
        Assert.Equal($"SELECT {boolean}, {binary}, {date}, NULL", sql);
    }

    [Fact]
    public void Placeholders_inside_strings_and_comments_are_left_alone()
    {
        var sql = Run("SELECT '@a', @a /* @a */ -- @a\n", SqlDialect.SqlServer, new SqlRawParameter("@a", 5, DbType.Int32));
        Assert.Equal("SELECT '@a', 5 /* @a */ -- @a\n", sql);
    }

    [Fact]
    public void Positional_placeholders_are_bound_in_order()
    {
        Assert.Equal("SELECT 1, 'x'", Run("SELECT $1, $2", SqlDialect.PostgreSql, new SqlRawParameter("", 1, DbType.Int32), new SqlRawParameter("", "x", DbType.String)));
        Assert.Equal("SELECT 1, 'x'", Run("SELECT ?, ?", SqlDialect.MySql, new SqlRawParameter("", 1, DbType.Int32), new SqlRawParameter("", "x", DbType.String)));
        // Names without their prefix match too (Dapper binds "id" for @id).
        Assert.Equal("SELECT 7", Run("SELECT @id", SqlDialect.MySql, new SqlRawParameter("id", 7, DbType.Int32)));
    }

    [Fact]
    public void Secret_looking_parameters_stay_masked()
    {
        var sql = Run("UPDATE users SET password = @password WHERE name = @name", SqlDialect.PostgreSql, new SqlRawParameter("@password", "hunter2", DbType.String), new SqlRawParameter("@name", "bob", DbType.String));
        Assert.Equal($"UPDATE users SET password = '{SecretMasker.Mask}' WHERE name = 'bob'", sql);
        Assert.DoesNotContain("hunter2", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Stored_procedures_become_a_call()
    {
        SqlRawParameter[] parameters = [new("category", 3, DbType.Int32), new("total", null, DbType.Int64, ParameterDirection.Output)];
        Assert.Equal("CALL product_count(3)", SqlRunnable.Build("product_count", CommandType.StoredProcedure, parameters, SqlDialect.MySql, s_masker));
        Assert.Equal("EXEC product_count @category = 3", SqlRunnable.Build("product_count", CommandType.StoredProcedure, parameters, SqlDialect.SqlServer, s_masker));
    }

    [Fact]
    public void A_value_too_long_or_of_unknown_type_gives_no_runnable_sql()
    {
        Assert.Null(Run("SELECT @a", SqlDialect.Sqlite, new SqlRawParameter("@a", new string('x', SqlRunnable.MaxValueLength + 1), DbType.String)));
        Assert.Null(Run("SELECT @a", SqlDialect.Sqlite, new SqlRawParameter("@a", new object(), DbType.Object)));
    }
}
