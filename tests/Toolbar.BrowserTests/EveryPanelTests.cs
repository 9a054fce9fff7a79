using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

/// <summary>Opens every panel the toolbar lists, the way a new user clicks through it, and keeps a screenshot of each.</summary>
[Collection(BrowserCollection.Name)]
public class EveryPanelTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("/products")]
    [InlineData("/slow")]
    [InlineData("/error")]
    public async Task Every_panel_opens_without_errors(string path)
    {
        await using var session = await browser.NewPageAsync();
        // /error answers with the developer exception page (no toolbar), so inspect its record through the page view.
        if (path == "/error")
        {
            var response = await session.Page.APIRequest.GetAsync(session.BaseUrl + path);
            var id = response.Headers["x-toolbar-id"];
            await session.Page.GotoAsync($"{session.BaseUrl}/_toolbar/requests/{id}");
            await session.Page.Locator("button[data-panel]").First.WaitForAsync();
        }
        else
        {
            await session.GotoAsync(path);
            await session.Page.Locator("[data-toolbar-handle]").ClickAsync();
        }

        var ids = await session.Page.Locator("button[data-panel]").EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.dataset.panel)");
        Assert.Contains("request", ids);
        foreach (var id in ids)
        {
            var content = await session.OpenPanelAsync(id);
            await Assertions.Expect(content).Not.ToBeEmptyAsync();
            var text = await content.InnerTextAsync();
            Assert.DoesNotContain("failed to render", text, StringComparison.OrdinalIgnoreCase);
            if (path != "/slow")
            {
                await session.ScreenshotAsync(path == "/products" ? $"panel-{id}" : $"record-page-{id}");
            }
        }

        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }
}
