using Microsoft.Playwright;

namespace Toolbar.BrowserTests.Infrastructure;

/// <summary>One page in its own browser context, with what went wrong on it recorded.</summary>
public sealed class PageSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    public PageSession(IBrowserContext context, IPage page, string baseUrl)
    {
        _context = context;
        Page = page;
        BaseUrl = baseUrl;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => ConsoleErrors.Add("page error: " + error);
        page.Dialog += async (_, dialog) =>
        {
            Dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
    }

    public IPage Page { get; }

    public string BaseUrl { get; }

    public List<string> ConsoleErrors { get; } = [];

    public List<string> Dialogs { get; } = [];

    /// <summary>Opens a path of the sample app and waits until the toolbar handle is there.</summary>
    public async Task GotoAsync(string path, bool waitForToolbar = true)
    {
        await Page.GotoAsync(BaseUrl + path, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        if (waitForToolbar)
        {
            try
            {
                await Page.Locator("[data-toolbar-handle]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });
                // The handle shows the status code once the record has loaded.
                await Assertions.Expect(Page.Locator(".tb-handle-status")).Not.ToHaveTextAsync("…", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
            }
            catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
            {
                var html = await Page.ContentAsync();
                throw new InvalidOperationException(
                    $"The toolbar did not appear on {path}. Console: [{string.Join(" | ", ConsoleErrors)}]. Page tail: {html[Math.Max(0, html.Length - 600)..]}", ex);
            }
        }
    }

    /// <summary>Expands the toolbar (if collapsed) and opens a panel; returns its content element.</summary>
    public async Task<ILocator> OpenPanelAsync(string panelId)
    {
        var button = Page.Locator($"button[data-panel=\"{panelId}\"]");
        if (!await button.IsVisibleAsync())
        {
            await Page.Locator("[data-toolbar-handle]").ClickAsync();
        }

        await button.ClickAsync();
        var content = Page.Locator($"[data-panel-content=\"{panelId}\"]");
        await content.WaitForAsync();
        await Assertions.Expect(content).Not.ToHaveAttributeAsync("aria-busy", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15_000 });
        return content;
    }

    /// <summary>Saves a screenshot under TestResults/screenshots (kept as a CI artifact).</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var dir = Path.Combine(RepoRoot(), "TestResults", "screenshots");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        return path;
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Toolbar.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
