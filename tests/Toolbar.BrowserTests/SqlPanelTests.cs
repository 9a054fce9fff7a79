using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

[Collection(BrowserCollection.Name)]
public class SqlPanelTests(BrowserFixture browser)
{
    private const string HostileText = "</script><img src=x onerror=alert(1)>";
    private const string HostileValue = "<img src=x onerror=alert(2)>";

    [Fact]
    public async Task Products_page_shows_eleven_queries_an_n_plus_one_warning_and_an_explain_plan()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/products");
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"sql\"]")).ToContainTextAsync("11 queries");
        var content = await session.OpenPanelAsync("sql");
        await Assertions.Expect(content.Locator("[data-sql-index]")).ToHaveCountAsync(11);
        await Assertions.Expect(content.Locator("[data-sql-nplusone]")).ToContainTextAsync("ran 10 times");
        await content.Locator("[data-sql-explain=\"1\"]:not([data-sql-analyze])").ClickAsync();
        await Assertions.Expect(content.Locator("[data-sql-plan=\"1\"] [data-sql-plan-tree]")).ToContainTextAsync("SEARCH on c");
        await content.Locator("[data-sql-plan=\"1\"] [data-sql-plan-raw] summary").ClickAsync();
        await Assertions.Expect(content.Locator("[data-sql-plan=\"1\"] [data-sql-plan-raw] table")).ToContainTextAsync("SEARCH c USING INTEGER PRIMARY KEY");
        await session.ScreenshotAsync("sql-products-n-plus-one");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Hostile_sql_text_and_parameter_values_render_as_text()
    {
        await using var app = await StartHostileAppAsync();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await using var session = new PageSession(context, await context.NewPageAsync(), app.Urls.First());
        await session.GotoAsync("/");
        var content = await session.OpenPanelAsync("sql");
        await content.Locator("[data-tb-toggle=\"#tb-sql-detail-0\"]").ClickAsync();
        await Assertions.Expect(content.Locator(".tb-sql-original")).ToContainTextAsync(HostileText);
        await Assertions.Expect(content.Locator("#tb-sql-detail-0 .tb-kv")).ToContainTextAsync(HostileValue);
        await Assertions.Expect(content.Locator("img")).ToHaveCountAsync(0);
        Assert.Empty(session.Dialogs);
        Assert.True(session.ConsoleErrors.Count == 0, string.Join(" | ", session.ConsoleErrors));
    }

    [Fact]
    public async Task Copy_puts_the_runnable_sql_on_the_clipboard()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = browser.Server.BaseUrl });
        await using var session = new PageSession(context, await context.NewPageAsync(), browser.Server.BaseUrl);
        await session.GotoAsync("/products?q=Product%207");
        var content = await session.OpenPanelAsync("sql");
        await content.Locator("[data-tb-toggle=\"#tb-sql-detail-1\"]").ClickAsync();
        var runnable = await content.Locator("[data-sql-runnable=\"1\"]").TextContentAsync();
        Assert.Contains("= 7", runnable, StringComparison.Ordinal);
        await content.Locator("[data-sql-copy=\"1\"]").ClickAsync();
        await Assertions.Expect(content.Locator("[data-sql-copy=\"1\"]")).ToHaveTextAsync("Copied");
        await content.Locator("[data-sql-runnable=\"1\"]").ScrollIntoViewIfNeededAsync();
        await session.ScreenshotAsync("sql-runnable-copied");
        Assert.Equal(runnable, await session.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        Assert.Empty(session.ConsoleErrors);
    }

    /// <summary>A tiny Kestrel app whose page runs one query with hostile SQL text and a hostile parameter value.</summary>
    private static async Task<WebApplication> StartHostileAppAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDebugToolbar();
        var app = builder.Build();
        app.UseDebugToolbar();
        // The browser asks for a favicon; a 404 would show up as a console error.
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapGet("/", async () =>
        {
            await using var connection = new ProfiledDbConnection(new SqliteConnection("Data Source=:memory:"));
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT '{HostileText}' AS x, $p AS y";
            command.Parameters.Add(new SqliteParameter("$p", HostileValue));
            await command.ExecuteScalarAsync();
            return Results.Content("<!DOCTYPE html><html><head><title>Hostile SQL</title></head><body><p>hostile</p></body></html>", "text/html; charset=utf-8");
        });
        await app.StartAsync();
        return app;
    }
}
