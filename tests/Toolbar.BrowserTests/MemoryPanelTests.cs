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

        await TakeSnapshotAsync(content);

        // A screen reader hears that the snapshot finished, through the toolbar's polite live region.
        var live = session.Page.Locator(".tb-sr-only[role=status]");
        await Assertions.Expect(live).ToHaveAttributeAsync("aria-live", "polite");
        await Assertions.Expect(live).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"Heap snapshot \d+ finished: [\d,]+ objects\."));

        // The panel reloaded with the new snapshot's table once the snapshot was done.
        var table = content.Locator("#tb-memory-types");
        await Assertions.Expect(table).ToBeVisibleAsync();
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

    [Fact]
    public async Task Show_switches_the_table_to_an_older_snapshot()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/");
        var content = await session.OpenPanelAsync("memory");
        await TakeSnapshotAsync(content);
        await TakeSnapshotAsync(content);
        var older = await content.Locator("[data-memory-show]").Nth(1).GetAttributeAsync("data-memory-show");

        await content.Locator($"[data-memory-show=\"{older}\"]").ClickAsync();

        await Assertions.Expect(content.Locator("[data-memory-title]")).ToHaveTextAsync($"Snapshot #{older} by type");
        await Assertions.Expect(content.Locator("#tb-memory-types tr[data-tb-row]", new LocatorLocatorOptions { HasText = "System.String" }).First).ToBeVisibleAsync();
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    private static async Task TakeSnapshotAsync(ILocator content)
    {
        var before = await content.Locator("[data-memory-snapshot-row]").CountAsync();
        var newest = before == 0 ? 0 : int.Parse((await content.Locator("[data-memory-snapshot-row]").First.GetAttributeAsync("data-memory-snapshot-row"))!, System.Globalization.CultureInfo.InvariantCulture);
        await content.Locator("[data-memory-take]").ClickAsync();
        // Done when the reloaded panel lists a newer snapshot first (the list is bounded, so counting is not enough).
        await Assertions.Expect(content.Locator("[data-memory-snapshot-row]").First).Not.ToHaveAttributeAsync(
            "data-memory-snapshot-row", newest.ToString(System.Globalization.CultureInfo.InvariantCulture), new LocatorAssertionsToHaveAttributeOptions { Timeout = 30_000 });
        await Assertions.Expect(content.Locator("[data-memory-title]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
    }
}
