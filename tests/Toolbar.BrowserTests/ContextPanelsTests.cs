using System.Text.Json;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

[Collection(BrowserCollection.Name)]
public class ContextPanelsTests(BrowserFixture browser)
{
    // No spaces, so it is a valid cookie value too.
    private const string Payload = "<img/src=x/onerror=alert(1)>";

    [Fact]
    public async Task Context_panels_of_the_failed_error_request_open_cleanly()
    {
        await using var session = await browser.NewPageAsync();
        var error = await session.Page.APIRequest.GetAsync(session.BaseUrl + "/error");
        Assert.Equal(500, error.Status);
        Assert.Contains("Sample failure from /error", await error.TextAsync());

        // The developer exception page replaces the response and its toolbar headers: find the record in the history.
        var list = await session.Page.APIRequest.GetAsync(session.BaseUrl + "/_toolbar/api/requests");
        var id = JsonDocument.Parse(await list.TextAsync()).RootElement.EnumerateArray()
            .First(r => r.GetProperty("path").GetString() == "/error").GetProperty("id").GetString();
        // Show that record in the toolbar of an ordinary page (the toolbar can switch to any stored request).
        await session.GotoAsync("/");
        await session.Page.EvaluateAsync("id => window.__toolbar.switchTo(id)", id);
        await session.Page.Locator("[data-toolbar-handle]").ClickAsync();

        await Assertions.Expect(session.Page.Locator("button[data-panel=\"exceptions\"]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("tb-nav-error"));
        var exceptions = await session.OpenPanelAsync("exceptions");
        await Assertions.Expect(exceptions).ToContainTextAsync("System.InvalidOperationException");
        await Assertions.Expect(exceptions).ToContainTextAsync("Sample failure from /error: this exception is thrown on purpose.");
        await Assertions.Expect(exceptions.Locator(".tb-badge-err")).ToHaveTextAsync("failed the request");
        await session.ScreenshotAsync("context-error-exceptions-panel");

        await Assertions.Expect(await session.OpenPanelAsync("request")).ToContainTextAsync("/error");
        await session.OpenPanelAsync("logs");
        var config = await session.OpenPanelAsync("config");
        await Assertions.Expect(config).ToContainTextAsync("Development");
        await session.ScreenshotAsync("context-error-config-panel");
        Assert.Empty(session.Dialogs);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task Hostile_header_cookie_query_and_log_message_render_as_text()
    {
        await using var session = await browser.NewPageAsync();
        await session.Page.Context.AddCookiesAsync([new Cookie { Name = "hostile", Value = Payload, Url = session.BaseUrl }]);
        await session.Page.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["X-Hostile"] = Payload });
        await session.GotoAsync("/products?q=" + Uri.EscapeDataString(Payload));

        var request = await session.OpenPanelAsync("request");
        await Assertions.Expect(request.Locator("tr", new LocatorLocatorOptions { HasText = "X-Hostile" })).ToContainTextAsync(Payload);
        await Assertions.Expect(request.Locator("tr", new LocatorLocatorOptions { HasText = "hostile" }).Last).ToContainTextAsync(Payload);
        await Assertions.Expect(request.Locator("img")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("context-hostile-request-panel");

        var logs = await session.OpenPanelAsync("logs");
        var searchRow = logs.Locator("tr[data-tb-row]", new LocatorLocatorOptions { HasText = "Product search for" });
        await Assertions.Expect(searchRow).ToContainTextAsync("Product search for " + Payload);
        await Assertions.Expect(logs.Locator("img")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("context-hostile-logs-panel");

        // The level filter hides information records when only warnings and above are asked for.
        await logs.Locator("select[data-logs-level]").SelectOptionAsync("3");
        await Assertions.Expect(searchRow).ToBeHiddenAsync();
        await logs.Locator("select[data-logs-level]").SelectOptionAsync("0");
        await Assertions.Expect(searchRow).ToBeVisibleAsync();

        await session.OpenPanelAsync("exceptions");
        await session.OpenPanelAsync("config");
        Assert.Empty(session.Dialogs);
        Assert.Empty(session.ConsoleErrors);
    }
}
