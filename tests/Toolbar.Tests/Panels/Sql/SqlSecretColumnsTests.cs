using System.Data;
using Microsoft.Extensions.Options;
using Toolbar.Panels.Sql;

namespace Toolbar.Tests.Panels.Sql;

/// <summary>Masking by meaning: parameters bound to secret-looking columns, whatever the parameters are called.</summary>
public sealed class SqlSecretColumnsTests
{
    private static readonly SecretMasker s_masker = new(Options.Create(new ToolbarOptions()));

    [Fact]
    public void Identity_user_insert_by_ef_core_masks_password_hash_and_security_stamp()
    {
        const string sql = """
            INSERT INTO "AspNetUsers" ("Id", "AccessFailedCount", "ConcurrencyStamp", "Email", "PasswordHash", "SecurityStamp", "UserName")
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6);
            """;

        var secret = SqlSecretColumns.Find(sql, SqlDialect.Sqlite, Parameters(7), s_masker);

        Assert.Equal([4, 5], secret.Order());
    }

    [Fact]
    public void Update_set_clause_masks_the_secret_column_only()
    {
        const string sql = "UPDATE [AspNetUsers] SET [PasswordHash] = @p0, [UserName] = @p1, [SecurityStamp] = @p2 WHERE [Id] = @p3 AND [ConcurrencyStamp] = @p4;";

        var secret = SqlSecretColumns.Find(sql, SqlDialect.SqlServer, Parameters(5), s_masker);

        Assert.Equal([0, 2], secret.Order());
    }

    [Fact]
    public void A_comparison_with_a_secret_column_masks_its_parameter_on_either_side()
    {
        const string sql = "SELECT u.id FROM users u WHERE u.api_token = $1 AND $2 = u.pin AND u.name = $3";

        var secret = SqlSecretColumns.Find(sql, SqlDialect.PostgreSql, Parameters(3, prefix: "$"), s_masker);

        Assert.Equal([0, 1], secret.Order());
    }

    [Fact]
    public void Positional_placeholders_are_counted_in_order()
    {
        const string sql = "INSERT INTO `users` (`name`, `password`, `email`) VALUES (?, ?, ?), (?, ?, ?)";

        var secret = SqlSecretColumns.Find(sql, SqlDialect.MySql, Parameters(6, prefix: "?"), s_masker);

        Assert.Equal([1, 4], secret.Order());
    }

    [Fact]
    public void Strings_and_comments_that_look_like_secret_columns_mask_nothing()
    {
        const string sql = "SELECT 'password = @p0' AS x /* token = @p1 */ FROM t WHERE name = @p0 OR title = @p1";

        var secret = SqlSecretColumns.Find(sql, SqlDialect.Sqlite, Parameters(2), s_masker);

        Assert.Empty(secret);
    }

    [Fact]
    public void Ordinary_columns_mask_nothing()
    {
        const string sql = "INSERT INTO \"Products\" (\"Name\", \"Price\", \"CategoryId\") VALUES (@p0, @p1, @p2)";

        Assert.Empty(SqlSecretColumns.Find(sql, SqlDialect.Sqlite, Parameters(3), s_masker));
    }

    private static SqlRawParameter[] Parameters(int count, string prefix = "@p") =>
        Enumerable.Range(0, count).Select(i => new SqlRawParameter(prefix == "?" ? "?" : prefix + (prefix == "$" ? i + 1 : i), "value" + i, DbType.String)).ToArray();
}
