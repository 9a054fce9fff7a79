using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Panels.Sql;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Sql;

/// <summary>Stacks are the panel's most expensive capture; within a short window a statement reuses its last stack.</summary>
public sealed class StackReuseTests : IDisposable
{
    private const string Statement = "SELECT 42";
    private readonly SqlTestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task FirstCallerAsync()
    {
        await using var connection = _db.Open();
        await connection.ExecuteScalarAsync<long>(Statement);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task SecondCallerAsync()
    {
        await using var connection = _db.Open();
        await connection.ExecuteScalarAsync<long>(Statement);
    }

    private async Task<string> CallSiteAsync(HttpClient client, string from)
    {
        var (_, sql) = await SqlTestDatabase.GetSqlAsync(client, "/?from=" + from);
        var query = Assert.Single(sql.GetProperty("queries").EnumerateArray());
        return string.Join("\n", query.GetProperty("stack").EnumerateArray().Select(f => f.GetString()));
    }

    private Task<MiniApp> StartAsync(TimeSpan window) =>
        SqlTestDatabase.StartAppAsync(
            ctx => ctx.Request.Query["from"] == "second" ? SecondCallerAsync() : FirstCallerAsync(),
            s => s.Configure<SqlPanelOptions>(o => o.StackReuseWindow = window));

    [Fact]
    public async Task Same_statement_within_the_window_reuses_the_stack_of_its_first_run()
    {
        await using var app = await StartAsync(TimeSpan.FromMinutes(10));
        Assert.Contains(nameof(FirstCallerAsync), await CallSiteAsync(app.Client, "first"), StringComparison.Ordinal);
        var second = await CallSiteAsync(app.Client, "second");
        Assert.Contains(nameof(FirstCallerAsync), second, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(SecondCallerAsync), second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_reuse_every_request_gets_its_own_stack()
    {
        await using var app = await StartAsync(TimeSpan.Zero);
        Assert.Contains(nameof(FirstCallerAsync), await CallSiteAsync(app.Client, "first"), StringComparison.Ordinal);
        Assert.Contains(nameof(SecondCallerAsync), await CallSiteAsync(app.Client, "second"), StringComparison.Ordinal);
    }
}
