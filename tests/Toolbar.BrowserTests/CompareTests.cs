using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

[Collection(BrowserCollection.Name)]
public class CompareTests(BrowserFixture browser)
{
    [Fact]
    public async Task Two_requests_ticked_in_history_are_compared_side_by_side_with_the_keyboard_only()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/products");
        await session.GotoAsync("/products?fixed=true");
        var history = await session.OpenPanelAsync("history");
        var before = history.Locator("tr[data-history-id]:has(td.tb-history-path:text-is(\"/products\"))").First;
        var after = history.Locator("tr[data-history-id]:has(td.tb-history-path:text-is(\"/products?fixed=true\"))").First;
        await Assertions.Expect(before).ToBeVisibleAsync();
        var button = history.Locator("[data-history-compare]");
        await Assertions.Expect(button).ToBeDisabledAsync();

        // Space ticks a box without switching the toolbar to that row; Enter on the button compares.
        await before.Locator("[data-history-pick]").FocusAsync();
        await session.Page.Keyboard.PressAsync("Space");
        await after.Locator("[data-history-pick]").FocusAsync();
        await session.Page.Keyboard.PressAsync("Space");
        await Assertions.Expect(button).ToBeEnabledAsync();
        // The toolbar still shows the page's own request: ticking did not switch to "/products".
        await Assertions.Expect(session.Page.Locator(".tb-summary .tb-path")).ToHaveTextAsync("/products?fixed=true");
        await button.FocusAsync();
        await session.Page.Keyboard.PressAsync("Enter");

        var result = history.Locator("[data-history-compare-result]");
        var sqlCount = result.Locator("[data-compare-row=\"sql-count\"] td");
        await Assertions.Expect(sqlCount.Nth(0)).ToHaveTextAsync("11");
        await Assertions.Expect(sqlCount.Nth(1)).ToHaveTextAsync("1");
        await Assertions.Expect(sqlCount.Nth(2)).ToHaveTextAsync("−10");
        await Assertions.Expect(result.Locator("[data-compare-list=\"nplusone-gone\"] li")).ToHaveCountAsync(1);
        await Assertions.Expect(result.Locator("[data-compare-list=\"nplusone-gone\"] li")).ToContainTextAsync("10×");
        await Assertions.Expect(result.Locator("[data-compare-list=\"removed\"] li")).ToHaveCountAsync(2);
        await Assertions.Expect(result.Locator("[data-compare-list=\"added\"] li")).ToContainTextAsync("JOIN");
        await Assertions.Expect(result).ToBeFocusedAsync();
        await Assertions.Expect(result).Not.ToContainTextAsync("null");
        await session.ScreenshotAsync("history-compare");

        await result.Locator("[data-history-compare-close]").FocusAsync();
        await session.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(result).ToBeHiddenAsync();
        await Assertions.Expect(button).ToBeFocusedAsync();
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }
}
