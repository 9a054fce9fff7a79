using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

[Collection(BrowserCollection.Name)]
public class MemoryPanelTests(BrowserFixture browser)
{
    [Fact]
    public async Task Taking_a_snapshot_shows_the_type_table()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/");
        var content = await session.OpenPanelAsync("memory");
        await Assertions.Expect(content).ToContainTextAsync("allocated by this request");

        await content.Locator("[data-memory-take]").ClickAsync();

        // The panel reloads with the new snapshot's table once the snapshot is done.
        var table = content.Locator("#tb-memory-types");
        await Assertions.Expect(table).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        await Assertions.Expect(table.Locator("tr[data-tb-row]", new LocatorLocatorOptions { HasText = "System.String" }).First).ToBeVisibleAsync();
        await content.Locator("input[data-tb-filter=\"#tb-memory-types\"]").FillAsync("System.String");
        await Assertions.Expect(table.Locator("tr[data-tb-row]:visible").First).ToContainTextAsync("System.String");
        await session.ScreenshotAsync("memory-snapshot-table");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Comparing_two_snapshots_highlights_the_retained_items()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/");
        var content = await session.OpenPanelAsync("memory");
        await TakeSnapshotAsync(content);
        await session.Page.EvaluateAsync("() => fetch('/memory/retain?count=5000').then(r => r.json())");
        await TakeSnapshotAsync(content);

        await content.Locator("[data-memory-compare]").ClickAsync();

        var row = content.Locator("[data-memory-diff] tr[data-memory-type=\"SampleApp.RetainedItem\"]");
        await Assertions.Expect(row).ToContainTextAsync("+5,000");
        await Assertions.Expect(row).ToHaveClassAsync("tb-row-warn");
        await session.ScreenshotAsync("memory-snapshot-diff");
        await session.Page.EvaluateAsync("() => fetch('/memory/release').then(r => r.json())");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    private static async Task TakeSnapshotAsync(ILocator content)
    {
        var before = await content.Locator("[data-memory-snapshot-row]").CountAsync();
        await content.Locator("[data-memory-take]").ClickAsync();
        await Assertions.Expect(content.Locator("[data-memory-snapshot-row]")).ToHaveCountAsync(Math.Min(before + 1, 5), new LocatorAssertionsToHaveCountOptions { Timeout = 30_000 });
    }
}
