using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

[Collection(BrowserCollection.Name)]
public class ImportPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Exported_file_chosen_on_the_import_page_opens_in_the_full_page_view()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/products");
        var id = await session.Page.EvaluateAsync<string>("() => window.__toolbar.recordId");
        // The toolbar's own "Export" link (in the expanded toolbar's nav) downloads the file.
        await session.OpenPanelAsync("request");
        var download = await session.Page.RunAndWaitForDownloadAsync(() => session.Page.Locator("[data-tb-export]").ClickAsync());
        Assert.Equal($"toolbar-products-{id}.json", download.SuggestedFilename);
        var file = Path.Combine(Path.GetTempPath(), $"toolbar-import-{Guid.NewGuid():N}.json");
        await download.SaveAsAsync(file);
        var bad = Path.Combine(Path.GetTempPath(), $"toolbar-import-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(bad, "{not json");
        try
        {
            await session.GotoAsync("/_toolbar/import", waitForToolbar: false);
            var status = session.Page.Locator("#toolbar-import-status");

            await session.Page.GetByLabel("Exported request (JSON)").SetInputFilesAsync(bad);
            await session.Page.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
            await Assertions.Expect(status).ToContainTextAsync("Import failed (HTTP 400)");

            await session.Page.GetByLabel("Exported request (JSON)").SetInputFilesAsync(file);
            await session.ScreenshotAsync("import-page");
            await session.Page.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
            await session.Page.WaitForURLAsync(new Regex("/_toolbar/requests/[0-9a-f]{32}$"));
            var newId = session.Page.Url[^32..];
            Assert.NotEqual(id, newId);
            await Assertions.Expect(session.Page.Locator(".tb-summary .tb-path")).ToHaveTextAsync("/products");
            var sql = await session.OpenPanelAsync("sql");
            await Assertions.Expect(sql.Locator("[data-sql-index]")).ToHaveCountAsync(11);
            await session.ScreenshotAsync("import-opened");
            Assert.Empty(session.Dialogs);
        }
        finally
        {
            File.Delete(file);
            File.Delete(bad);
        }
    }
}
