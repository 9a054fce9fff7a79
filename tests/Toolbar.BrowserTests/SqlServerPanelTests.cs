using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.BrowserTests;

/// <summary>The SQL panel in a browser with the sample app on each database: EXPLAIN tree, EXPLAIN ANALYZE, transactions, error codes.</summary>
[Collection(BrowserCollection.Name)]
public class SqlServerPanelTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    [InlineData("mysql")]
    public async Task Sql_panel_shows_the_explain_tree_on_each_database(string database)
    {
        var connectionString = database == "sqlite" ? null : TestDatabases.NewDatabase(database);
        await using var server = new SampleServer();
        if (connectionString is not null)
        {
            server.Settings["Sample:Database"] = database;
            server.Settings["ConnectionStrings:Main"] = connectionString;
        }

        try
        {
            var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
            await using var session = new PageSession(context, await context.NewPageAsync(), server.BaseUrl);
            await session.GotoAsync("/products");
            var content = await session.OpenPanelAsync("sql");
            await Assertions.Expect(content.Locator("[data-sql-index]")).ToHaveCountAsync(11);
            await Assertions.Expect(content.Locator("[data-sql-nplusone]")).ToContainTextAsync("ran 10 times");
            await content.Locator("[data-sql-explain=\"1\"]:not([data-sql-analyze])").ClickAsync();
            var tree = content.Locator("[data-sql-plan=\"1\"] [data-sql-plan-tree]");
            await Assertions.Expect(tree).ToBeVisibleAsync();
            await Assertions.Expect(tree.Locator("[data-sql-plan-node]").First).ToBeVisibleAsync();
            // The category lookup reads the Categories table (alias c).
            await Assertions.Expect(tree).ToContainTextAsync(database == "postgres" ? "Categories" : " c");
            if (database != "sqlite")
            {
                await Assertions.Expect(tree).ToContainTextAsync("rows≈");
                // The product list (a scan with a sort or an index walk) carries the planner's cost.
                await content.Locator("[data-sql-explain=\"0\"]:not([data-sql-analyze])").ClickAsync();
                await Assertions.Expect(content.Locator("[data-sql-plan=\"0\"] [data-sql-plan-tree]")).ToContainTextAsync("cost");
                await content.Locator("[data-sql-explain=\"0\"][data-sql-analyze]").ClickAsync();
                await Assertions.Expect(content.Locator("[data-sql-plan=\"0\"]")).ToContainTextAsync("executed the query (rolled back)");
                await Assertions.Expect(content.Locator("[data-sql-plan=\"0\"] [data-sql-plan-tree]")).ToContainTextAsync("actual rows");
            }
            else
            {
                await Assertions.Expect(content.Locator("[data-sql-analyze]")).ToHaveCountAsync(0);
            }

            await session.ScreenshotAsync($"sql-explain-{database}");

            var tourContext = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
            await using var tourSession = new PageSession(tourContext, await tourContext.NewPageAsync(), server.BaseUrl);
            await tourSession.GotoAsync("/sql/tour");
            var tour = await tourSession.OpenPanelAsync("sql");
            await Assertions.Expect(tour.Locator("[data-sql-transaction]")).ToHaveCountAsync(2);
            await Assertions.Expect(tour.Locator("[data-sql-transaction=\"1\"]")).ToContainTextAsync("rolled back");
            await Assertions.Expect(tour.Locator("[data-sql-transaction=\"2\"]")).ToContainTextAsync("committed");
            await Assertions.Expect(tour.Locator("[data-sql-error-code]")).ToContainTextAsync(database switch
            {
                "postgres" => "SQLSTATE 42P01",
                "mysql" => "1146 / SQLSTATE 42S02",
                _ => "error 1",
            });
            await tourSession.ScreenshotAsync($"sql-tour-{database}");
            Assert.True(session.ConsoleErrors.Count == 0, string.Join(" | ", session.ConsoleErrors));
            Assert.True(tourSession.ConsoleErrors.Count == 0, string.Join(" | ", tourSession.ConsoleErrors));
        }
        finally
        {
            await server.DisposeAsync();
            if (connectionString is not null)
            {
                TestDatabases.Drop(database, connectionString);
            }
        }
    }
}
