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

    /// <summary>
    /// Opens the page until the threads panel watched it: the runtime's wait events start with the first tracked request
    /// of the app, in the background, so a page loaded before that says its waits were not watched.
    /// </summary>
    private static async Task GotoWatchedAsync(PageSession session, string url)
    {
        var subtitle = session.Page.Locator("button[data-panel=\"threads\"] .tb-nav-subtitle");
        for (var attempt = 0; ; attempt++)
        {
            await session.GotoAsync(url);
            await Assertions.Expect(subtitle).Not.ToBeEmptyAsync();
            if (await subtitle.TextContentAsync() != "waits not watched" || attempt == 20)
            {
                return;
            }

            await Task.Delay(500);
        }
    }

    /// <summary>
    /// The one wait of <paramref name="kind"/> (a pattern) listed that blocked in <paramref name="method"/>. Other rows may be
    /// short waits around it (re-taking the semaphore's inner lock from the thread that released it, when that thread
    /// was paused), or a second wait of the request when a busy pool made it wait for a thread: real, but not what is
    /// checked. The wait listed twice, or another request's, would still fail. On
    /// failure the panel's text is in the message.
    /// </summary>
    private static async Task<ILocator> TheWaitAsync(ILocator content, string method, string kind)
    {
        var rows = content.Locator("tr[data-wait-index]").Filter(new() { HasText = method })
            .Filter(new() { Has = content.Page.Locator("code", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^(" + kind + ")$") }) });
        try
        {
            await Assertions.Expect(rows).ToHaveCountAsync(1);
        }
        catch (PlaywrightException e)
        {
            throw new Xunit.Sdk.XunitException(e.Message + "\nThe threads panel read:\n" + await content.InnerTextAsync());
        }

        return rows;
    }

    [Fact]
    public async Task Threads_panel_shows_a_contended_lock_and_a_semaphore_wait_with_their_methods()
    {
        await using var session = await browser.NewPageAsync();
        await GotoWatchedAsync(session, "/blocking?kind=lock&ms=200");
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"threads\"] .tb-nav-subtitle")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-9][0-9]* blocking waits?, "));
        var content = await session.OpenPanelAsync("threads");
        var row = await TheWaitAsync(content, "SampleApp.BlockingWork.WaitForLock", "lock");
        await Assertions.Expect(row.Locator("code").First).ToHaveTextAsync("lock");
        await Assertions.Expect(row.Locator(".tb-threads-stack li").First).ToContainTextAsync("SampleApp.BlockingWork.WaitForLock");
        await session.ScreenshotAsync("threads-panel-lock");
        Assert.Empty(session.ConsoleErrors);

        // A fresh page: the toolbar stays open across navigations, which hides the handle a new page waits for.
        await using var second = await browser.NewPageAsync();
        await GotoWatchedAsync(second, "/blocking?kind=semaphore&ms=200");
        content = await second.OpenPanelAsync("threads");
        row = await TheWaitAsync(content, "SampleApp.BlockingWork.WaitForSemaphore", "waitHandle");
        await Assertions.Expect(row.Locator("code").First).ToHaveTextAsync("waitHandle");
        await Assertions.Expect(row.Locator(".tb-threads-stack li").First).ToContainTextAsync("SampleApp.BlockingWork.WaitForSemaphore");
        await second.ScreenshotAsync("threads-panel-semaphore");
        Assert.Empty(second.ConsoleErrors);
        Assert.Empty(second.Dialogs);
    }

    [Fact]
    public async Task Threads_panel_shows_the_blocking_wait_of_the_blocking_page_with_its_method()
    {
        await using var session = await browser.NewPageAsync();
        await GotoWatchedAsync(session, "/blocking?ms=100");
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"threads\"] .tb-nav-subtitle")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-9][0-9]* blocking waits?, "));
        var content = await session.OpenPanelAsync("threads");
        // Task.Result when the runtime's stack names the frame, else the task wait it certainly is.
        var row = await TheWaitAsync(content, "SampleApp.BlockingWork.WaitForDelay", "Task\\.Result|Task wait");
        await Assertions.Expect(row.Locator(".tb-threads-stack li").First).ToContainTextAsync("SampleApp.BlockingWork.WaitForDelay");
        await session.ScreenshotAsync("threads-panel-blocking");
        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Threads_panel_of_a_page_that_does_not_block_says_so()
    {
        await using var session = await browser.NewPageAsync();
        await GotoWatchedAsync(session, "/products/3");
        // "starved" instead when the machine is so busy that new work waited 50 ms for a thread: also true, and not a wait.
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"threads\"] .tb-nav-subtitle")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(no blocking|starved)$"));
        var content = await session.OpenPanelAsync("threads");
        await Assertions.Expect(content.Locator(".tb-threads-none")).ToBeVisibleAsync();
        await Assertions.Expect(content.Locator("tr[data-wait-index]")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("threads-panel-quiet");
        Assert.Empty(session.ConsoleErrors);
    }
}
