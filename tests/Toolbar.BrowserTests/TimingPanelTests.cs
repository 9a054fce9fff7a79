using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

[Collection(BrowserCollection.Name)]
public class TimingPanelTests(BrowserFixture browser)
{
    [Fact]
    public async Task Slow_page_shows_outer_inner_and_the_http_call_in_the_waterfall()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/slow");

        var content = await session.OpenPanelAsync("timing");

        var rows = content.Locator("#tb-timing-rows [data-tb-row]");
        await Assertions.Expect(rows.Filter(new() { HasText = "outer" }).Locator(".tb-wf-label")).ToHaveTextAsync("outer");
        await Assertions.Expect(rows.Filter(new() { HasText = "inner" }).Locator(".tb-wf-label")).ToHaveTextAsync("inner");
        var http = rows.Filter(new() { HasText = "/api/products" });
        await Assertions.Expect(http).ToHaveCountAsync(1);
        await Assertions.Expect(http.Locator(".tb-wf-kind")).ToHaveTextAsync("http");
        // inner and the HTTP call are children of outer: one level deeper.
        await Assertions.Expect(rows.Filter(new() { HasText = "outer" }).Locator("[data-tb-indent]")).ToHaveAttributeAsync("data-tb-indent", "1");
        await Assertions.Expect(rows.Filter(new() { HasText = "inner" }).Locator("[data-tb-indent]")).ToHaveAttributeAsync("data-tb-indent", "2");
        await Assertions.Expect(http.Locator("[data-tb-indent]")).ToHaveAttributeAsync("data-tb-indent", "2");
        // Bars are placed by the toolbar's data-tb-* helpers (no inline style from the server).
        var width = await rows.Filter(new() { HasText = "inner" }).Locator(".tb-bar").EvaluateAsync<string>("b => b.style.width");
        Assert.EndsWith("%", width, StringComparison.Ordinal);
        Assert.Matches(@"^\d+(\.\d+)? ms$", await session.Page.Locator("button[data-panel=\"timing\"] .tb-nav-subtitle").TextContentAsync() ?? "");

        // The page's Navigation Timing is sent back once and shown with the server spans.
        await Assertions.Expect(content.Locator("[data-nav-figure=\"Time to first byte\"]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await session.ScreenshotAsync("timing-slow-waterfall");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Products_page_shows_its_sql_commands_in_the_waterfall()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/products");

        var content = await session.OpenPanelAsync("timing");

        await Assertions.Expect(content.Locator("#tb-timing-rows [data-tb-row] .tb-bar.tb-wf-db, #tb-timing-rows [data-tb-row].tb-wf-slowest")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(content.Locator("#tb-timing-rows [data-tb-row]", new() { HasText = "SELECT" })).ToHaveCountAsync(11);
        await session.ScreenshotAsync("timing-products-waterfall");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }
}
