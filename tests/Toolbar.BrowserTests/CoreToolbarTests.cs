using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

[Collection(BrowserCollection.Name)]
public class CoreToolbarTests(BrowserFixture browser)
{
    [Fact]
    public async Task Products_page_shows_the_toolbar_and_a_panel_opens()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/products");
        await Assertions.Expect(session.Page.Locator(".tb-handle-status")).ToHaveTextAsync("200");
        var content = await session.OpenPanelAsync("request");
        await Assertions.Expect(content).ToContainTextAsync("/products");
        await session.ScreenshotAsync("core-products-request-panel");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Csp_page_keeps_the_toolbar_working()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/csp");
        var content = await session.OpenPanelAsync("request");
        await Assertions.Expect(content).ToContainTextAsync("/csp");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task Hostile_query_string_runs_no_script()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/products?q=" + Uri.EscapeDataString("<img src=x onerror=alert(1)>"));
        var content = await session.OpenPanelAsync("request");
        await Assertions.Expect(content).ToContainTextAsync("<img src=x onerror=alert(1)>");
        Assert.Empty(session.Dialogs);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task Escape_closes_and_the_state_is_remembered()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/");
        await session.OpenPanelAsync("request");
        await session.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(session.Page.Locator("[data-panel-content=\"request\"]")).ToHaveCountAsync(0);
        await session.Page.ReloadAsync();
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"request\"]")).ToBeVisibleAsync();
        // Escape belongs to the page unless the key is pressed inside the toolbar.
        await session.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"request\"]")).ToBeVisibleAsync();
        await session.Page.Locator("button[data-panel=\"request\"]").FocusAsync();
        await session.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"request\"]")).ToBeHiddenAsync();
        await session.Page.ReloadAsync();
        await Assertions.Expect(session.Page.Locator("[data-toolbar-handle]")).ToBeVisibleAsync();
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"request\"]")).ToBeHiddenAsync();
    }
}
