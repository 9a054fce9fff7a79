using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

[Collection(BrowserCollection.Name)]
public class CacheViewsPanelTests(BrowserFixture browser)
{
    [Fact]
    public async Task Cached_page_reloaded_shows_its_hits_in_the_cache_panel()
    {
        await using var session = await browser.NewPageAsync();

        // The sample's caches live as long as the server: the first visit may or may not have filled them, the second hits.
        await session.GotoAsync("/cached?hybrid=1");
        await session.GotoAsync("/cached?hybrid=1");

        var content = await session.OpenPanelAsync("cache");
        var appCalls = content.Locator("[data-cache-call]:not(.tb-cache-via)");
        await Assertions.Expect(appCalls).ToHaveCountAsync(3);
        await Assertions.Expect(content.Locator("[data-cache-hits]")).ToHaveTextAsync("3");
        await Assertions.Expect(content.Locator("[data-cache-misses]")).ToHaveTextAsync("0");
        await Assertions.Expect(content.Locator("[data-cache-call][data-backend=\"hybrid\"]")).ToContainTextAsync("sample:hybrid-greeting");
        Assert.Equal("3 calls, 3 hits", await session.Page.Locator("button[data-panel=\"cache\"] .tb-nav-subtitle").TextContentAsync());
        await session.ScreenshotAsync("panel-cache");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Mvc_catalog_shows_its_view_component_razor_component_tag_helpers_and_layout_nested_in_the_views_panel()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/mvc/catalog");

        var content = await session.OpenPanelAsync("views");
        var rows = content.Locator("[data-view]");

        // action, view start, view, layout; the view's ComponentTagHelper, ProductCard, view component tag helper,
        // view component and its view; the layout's head and body tag helpers.
        await Assertions.Expect(rows).ToHaveCountAsync(11);
        await Assertions.Expect(content.Locator("[data-view][data-kind=\"viewComponent\"]")).ToContainTextAsync("CategoryCount");
        await Assertions.Expect(content.Locator("[data-view][data-kind=\"viewComponent\"]")).ToHaveAttributeAsync("data-depth", "2");
        await Assertions.Expect(content.Locator("[data-view][data-kind=\"component\"]")).ToContainTextAsync("ProductCard");
        await Assertions.Expect(content.Locator("[data-view][data-kind=\"component\"]")).ToHaveAttributeAsync("data-depth", "2");
        await Assertions.Expect(content.Locator("[data-view][data-kind=\"tagHelper\"]")).ToHaveCountAsync(4);
        await Assertions.Expect(content.Locator("[data-view][data-kind=\"layout\"]")).ToContainTextAsync("_Layout");

        // Index, ProductCard, CategoryCount and its view, _Layout.
        await Assertions.Expect(content.Locator("[data-views-rendered]")).ToHaveTextAsync("5");
        await Assertions.Expect(content.Locator("[data-views-tag-helpers]")).ToHaveTextAsync("4");
        await session.ScreenshotAsync("panel-views");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Components_page_shows_its_razor_component_tree_in_the_views_panel_and_the_timing_waterfall()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/components?n=4");

        // Independent truth: the cards the browser shows.
        var cards = await session.Page.Locator("[data-component=\"ProductCard\"]").CountAsync();
        Assert.Equal(4, cards);

        var content = await session.OpenPanelAsync("views");
        var cardRows = content.Locator("[data-view][data-kind=\"component\"]", new() { HasText = "ProductCard" });
        await Assertions.Expect(cardRows).ToHaveCountAsync(cards);
        var page = content.Locator("[data-view][data-kind=\"component\"]", new() { HasText = "ComponentsPage" });
        var pageDepth = int.Parse((await page.GetAttributeAsync("data-depth"))!, System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < cards; i++)
        {
            Assert.Equal((pageDepth + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), await cardRows.Nth(i).GetAttributeAsync("data-depth"));
        }

        await session.ScreenshotAsync("panel-views-components");

        var timing = await session.OpenPanelAsync("timing");
        await Assertions.Expect(timing.Locator("[data-tb-row]", new() { HasText = "component ProductCard" })).ToHaveCountAsync(cards);
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }
}
