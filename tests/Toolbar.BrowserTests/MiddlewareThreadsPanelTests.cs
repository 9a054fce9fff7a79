using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

[Collection(BrowserCollection.Name)]
public class MiddlewareThreadsPanelTests(BrowserFixture browser)
{
    [Fact]
    public async Task Middleware_panel_shows_the_pipeline_in_order_with_times_and_the_samples_ordering_warning()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/products");
        var content = await session.OpenPanelAsync("middleware");
        var rows = content.Locator("tr[data-mw-index]");
        // The sample registers compression, the toolbar and static files; WebApplication adds the rest around them.
        await Assertions.Expect(rows.Locator(".tb-mw-name")).ToContainTextAsync(["HostFilteringMiddleware", "EndpointRoutingMiddleware", "ResponseCompressionMiddleware", "ToolbarMiddleware", "StaticFileMiddleware", "EndpointMiddleware"]);
        await Assertions.Expect(content.Locator(".tb-mw-summary")).ToContainTextAsync("ended at its endpoint");
        // The sample has authentication services, so WebApplication authenticates before the sample's UseStaticFiles().
        await Assertions.Expect(content.Locator(".tb-mw-warning")).ToContainTextAsync("Call app.UseStaticFiles() before app.UseAuthentication()");
        await Assertions.Expect(content.Locator(".tb-bar").First).ToHaveAttributeAsync("style", new System.Text.RegularExpressions.Regex("width"));
        await session.ScreenshotAsync("middleware-panel");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Threads_panel_shows_the_blocking_wait_of_the_blocking_page_with_its_method()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/blocking?ms=100");
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"threads\"] .tb-nav-subtitle")).ToContainTextAsync("1 blocking wait");
        var content = await session.OpenPanelAsync("threads");
        var row = content.Locator("tr[data-wait-index]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("Task.Result");
        await Assertions.Expect(row.Locator(".tb-threads-stack li").First).ToContainTextAsync("SampleApp.BlockingWork.WaitForDelay");
        await session.ScreenshotAsync("threads-panel-blocking");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Threads_panel_of_a_page_that_does_not_block_says_so()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/products/3");
        // "starved" instead when the machine is so busy that new work waited 50 ms for a thread: also true, and not a wait.
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"threads\"] .tb-nav-subtitle")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(no blocking|starved)$"));
        var content = await session.OpenPanelAsync("threads");
        await Assertions.Expect(content.Locator(".tb-threads-none")).ToBeVisibleAsync();
        await Assertions.Expect(content.Locator("tr[data-wait-index]")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("threads-panel-quiet");
        Assert.Empty(session.ConsoleErrors);
    }
}
