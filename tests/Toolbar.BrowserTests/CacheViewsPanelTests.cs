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
    public async Task Mvc_catalog_shows_its_view_component_and_layout_nested_in_the_views_panel()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/mvc/catalog");

        var content = await session.OpenPanelAsync("views");
        var rows = content.Locator("[data-view]");
        await Assertions.Expect(rows).ToHaveCountAsync(6);
        await Assertions.Expect(content.Locator("[data-view][data-kind=\"component\"]")).ToContainTextAsync("CategoryCount");
        await Assertions.Expect(content.Locator("[data-view][data-kind=\"component\"]")).ToHaveAttributeAsync("data-depth", "2");
        await Assertions.Expect(content.Locator("[data-view][data-kind=\"layout\"]")).ToContainTextAsync("_Layout");
        await Assertions.Expect(content.Locator("[data-views-rendered]")).ToHaveTextAsync("4");
        await session.ScreenshotAsync("panel-views");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }
}
