using System.Text.Json;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

/// <summary>The sample plugin (samples/FlagsPanel) as a person uses it: open, toggle, reload, see the other branch.</summary>
[Collection(BrowserCollection.Name)]
public class FlagsPanelTests(BrowserFixture browser)
{
    [Fact]
    public async Task Flags_panel_toggles_a_flag_and_the_next_page_load_shows_the_other_branch()
    {
        await using var session = await browser.NewPageAsync();
        var page = session.Page;
        await session.GotoAsync("/products");
        await Assertions.Expect(page.Locator(".flag-banner")).ToHaveCountAsync(0);

        // The panel's data is in the JSON API under panels.flags.
        var id = await page.Locator("#toolbar-root").GetAttributeAsync("data-toolbar-id");
        using var http = new HttpClient { BaseAddress = new Uri(session.BaseUrl) };
        var record = JsonDocument.Parse(await http.GetStringAsync($"/_toolbar/api/requests/{id}")).RootElement;
        var flags = record.GetProperty("panels").GetProperty("flags").GetProperty("flags");
        Assert.Equal("NewProductList", flags[0].GetProperty("name").GetString());
        Assert.False(flags[0].GetProperty("seen").GetBoolean());

        var content = await session.OpenPanelAsync("flags");
        var row = content.Locator("tr[data-flag=\"NewProductList\"]");
        await Assertions.Expect(row.Locator(".flags-value")).ToHaveTextAsync("off");
        // flags.css is loaded into the toolbar: the off badge gets its grey background.
        await Assertions.Expect(row.Locator(".flags-value")).ToHaveCSSAsync("background-color", "rgb(242, 244, 247)");

        // flags.js posts the toggle and says so; the cookie makes the next request see the flag on.
        await row.Locator("button[data-flag-name=\"NewProductList\"]").ClickAsync();
        await Assertions.Expect(content.Locator(".flags-notice")).ToHaveTextAsync("NewProductList is now on for this browser. Reload to see it.");
        await Assertions.Expect(row.Locator(".flags-browser")).ToHaveTextAsync("overridden: on");
        await content.Locator(".flags-reload").ClickAsync();

        // Only the reloaded page can have the banner; then wait for its toolbar to load its record.
        await Assertions.Expect(page.Locator(".flag-banner")).ToHaveTextAsync("New product list is ON", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        await Assertions.Expect(page.Locator(".tb-handle-status")).ToHaveTextAsync("200", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        content = await session.OpenPanelAsync("flags");
        row = content.Locator("tr[data-flag=\"NewProductList\"]");
        await Assertions.Expect(row.Locator(".flags-value")).ToHaveTextAsync("on");
        await Assertions.Expect(row.Locator(".flags-value")).ToHaveCSSAsync("background-color", "rgb(220, 252, 231)");
        await Assertions.Expect(page.Locator("button[data-panel=\"flags\"] .tb-nav-subtitle")).ToHaveTextAsync("2 of 2 on, 1 overridden");
        await session.ScreenshotAsync("flags-panel-overridden");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }
}
