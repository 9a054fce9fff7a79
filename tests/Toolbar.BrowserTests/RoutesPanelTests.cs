using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

[Collection(BrowserCollection.Name)]
public class RoutesPanelTests(BrowserFixture browser)
{
    [Fact]
    public async Task Routes_panel_shows_the_matched_pattern_and_the_tester_answers()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/products/3");
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"routes\"] .tb-nav-subtitle")).ToHaveTextAsync("/products/{id:int}");
        var content = await session.OpenPanelAsync("routes");
        await Assertions.Expect(content.Locator("[data-routes-matched]")).ToHaveTextAsync("/products/{id:int}");

        var form = content.Locator("form[data-routes-tester]");
        await form.Locator("input[name=path]").FillAsync("/api/products");
        await form.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(content.Locator("[data-routes-answer-pattern]")).ToHaveTextAsync("/api/products");

        await form.Locator("input[name=path]").FillAsync("/<img src=x onerror=alert(1)>");
        await form.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(content.Locator("[data-routes-answer=\"none\"]")).ToContainTextAsync("No endpoint matches (404)");
        await session.ScreenshotAsync("routes-panel-tester");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Route_map_filter_hides_other_routes()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/csp");
        var content = await session.OpenPanelAsync("routes");
        var rows = content.Locator("#tb-routes-map tr[data-tb-row]");
        await content.Locator("input[data-tb-filter]").FillAsync("/memory/");
        await Assertions.Expect(rows.Locator("visible=true")).ToHaveCountAsync(2);
        await session.ScreenshotAsync("routes-panel-map-filtered");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }
}
