using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

[Collection(BrowserCollection.Name)]
public class HistoryPanelTests(BrowserFixture browser)
{
    [Fact]
    public async Task Fetch_made_by_the_page_appears_in_history_without_reload_and_opens_its_panels()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/products");
        var history = await session.OpenPanelAsync("history");
        var pageRow = history.Locator("tr[data-history-id]").First;
        await Assertions.Expect(pageRow).ToContainTextAsync("/products");

        // The page's own button (the drawer may cover it, so dispatch the click on the element itself).
        await session.Page.Locator("#load-api").DispatchEventAsync("click");
        var apiRow = history.Locator("tr[data-history-id]", new LocatorLocatorOptions { HasText = "/api/products" }).First;
        await Assertions.Expect(apiRow).ToBeVisibleAsync();
        await Assertions.Expect(apiRow).ToContainTextAsync("script");
        await Assertions.Expect(apiRow).ToContainTextAsync("200");
        await Assertions.Expect(history.Locator("tr[data-history-id]").First).ToContainTextAsync("/api/products");
        var apiId = await apiRow.GetAttributeAsync("data-history-id");

        await apiRow.ClickAsync();
        await Assertions.Expect(session.Page.Locator(".tb-summary .tb-path")).ToHaveTextAsync("/api/products");
        await Assertions.Expect(session.Page.Locator($"tr[data-history-id=\"{apiId}\"]")).ToHaveAttributeAsync("aria-current", "true");
        var request = await session.OpenPanelAsync("request");
        await Assertions.Expect(request).ToContainTextAsync("/api/products");
        await session.ScreenshotAsync("history-api-request-panel");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Redirect_that_the_browser_followed_stays_listed_and_opens()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/redirect");
        Assert.EndsWith("/products", session.Page.Url, StringComparison.Ordinal);
        var history = await session.OpenPanelAsync("history");
        var redirect = history.Locator("tr[data-history-id]", new LocatorLocatorOptions { HasText = "/redirect" }).First;
        await Assertions.Expect(redirect).ToContainTextAsync("302");
        await Assertions.Expect(redirect).ToContainTextAsync("→ /products");

        await redirect.ClickAsync();

        await Assertions.Expect(session.Page.Locator(".tb-summary .tb-path")).ToHaveTextAsync("/redirect");
        var request = await session.OpenPanelAsync("request");
        await Assertions.Expect(request).ToContainTextAsync("Location");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Filters_narrow_the_list_by_path_and_method()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/");
        await session.GotoAsync("/products?q=Item");
        var history = await session.OpenPanelAsync("history");
        await Assertions.Expect(history.Locator("tr[data-history-id]").First).ToContainTextAsync("/products?q=Item");
        await session.ScreenshotAsync("history-panel");

        await history.Locator("[data-history-filter=\"path\"]").FillAsync("q=Item");
        var rows = history.Locator("tr[data-history-id]");
        await Assertions.Expect(rows.First).ToContainTextAsync("/products?q=Item");
        foreach (var text in await rows.AllInnerTextsAsync())
        {
            Assert.Contains("q=Item", text, StringComparison.Ordinal);
        }

        await history.Locator("[data-history-filter=\"method\"]").SelectOptionAsync("POST");
        await Assertions.Expect(history.Locator("[data-history-empty]")).ToBeVisibleAsync();
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Open_link_shows_the_request_as_a_full_page()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/products");
        var history = await session.OpenPanelAsync("history");
        var link = history.Locator("tr[data-history-id] a").First;
        var href = await link.GetAttributeAsync("href");
        Assert.Matches("^/_toolbar/requests/[0-9a-f]{32}$", href);

        await session.GotoAsync(href!, waitForToolbar: false);
        var request = await session.OpenPanelAsync("request");
        await Assertions.Expect(request).ToContainTextAsync("/products");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task Clear_button_empties_the_history()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/products");
        var history = await session.OpenPanelAsync("history");
        await Assertions.Expect(history.Locator("tr[data-history-id]").First).ToBeVisibleAsync();

        await history.Locator("[data-history-clear]").ClickAsync();

        await Assertions.Expect(history.Locator("tr[data-history-id]")).ToHaveCountAsync(0);
        await Assertions.Expect(history.Locator("[data-history-summary]")).ToHaveTextAsync("No stored requests yet.");
        Assert.Empty(session.ConsoleErrors);
    }
}
