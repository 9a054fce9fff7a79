using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

[Collection(BrowserCollection.Name)]
public class HistoryStoreUnavailableTests(BrowserFixture browser)
{
    [Fact]
    public async Task Unreachable_redis_store_shows_a_clear_message_and_the_page_still_works()
    {
        // A Redis store configured on a loopback port where nothing listens.
        using var server = new SampleServer();
        server.Settings["Toolbar:Store"] = "redis";
        server.Settings["Toolbar:Redis"] = $"127.0.0.1:{ClosedPort()}";
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await using var session = new PageSession(context, await context.NewPageAsync(), server.BaseUrl);

        // The first requests may still be served from memory while the store finds out (connect timeout) that
        // Redis is away: keep loading the page for a while, not a fixed number of times.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            await session.GotoAsync("/products");
            await Assertions.Expect(session.Page.Locator("table.products tbody tr")).ToHaveCountAsync(10);
            if (await session.Page.Locator(".tb-handle-status").TextContentAsync() == "n/a")
            {
                break;
            }

            await Task.Delay(500);
        }

        await Assertions.Expect(session.Page.Locator(".tb-handle-status")).ToHaveTextAsync("n/a");
        await session.Page.Locator("[data-toolbar-handle]").ClickAsync();
        await Assertions.Expect(session.Page.Locator("[data-toolbar-unavailable]"))
            .ToContainTextAsync("record store (distributed cache) is unavailable");
        await session.ScreenshotAsync("history-store-unavailable");
        // The browser itself reports the toolbar's 503 answers; nothing else may fail.
        Assert.All(session.ConsoleErrors, e => Assert.Contains("status of 503", e, StringComparison.Ordinal));
        Assert.Empty(session.Dialogs);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
