using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

/// <summary>
/// axe-core (bundled with Deque.AxeCore.Playwright, nothing downloaded) on the sample's /products page: zero
/// violations inside the toolbar collapsed, expanded, and with each panel the nav lists opened in turn (so a
/// panel added later is covered too), in the light and the dark colour scheme; and the host page's landmarks
/// stay its own. Then the keyboard: tab order, the tab list's arrow keys, Escape, no focus taken on load.
/// </summary>
[Collection(BrowserCollection.Name)]
public class AccessibilityTests(BrowserFixture browser)
{
    /// <summary>Page-level rules the toolbar could spoil for the host page (a second banner or main, say).</summary>
    private static readonly string[] PageRules =
    [
        "landmark-no-duplicate-banner", "landmark-no-duplicate-main", "landmark-no-duplicate-contentinfo",
        "landmark-unique", "landmark-banner-is-top-level", "landmark-main-is-top-level", "duplicate-id-aria", "page-has-heading-one",
    ];

    private async Task<PageSession> NewPageAsync(ColorScheme scheme)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            ColorScheme = scheme,
        });
        return new PageSession(context, await context.NewPageAsync(), browser.Server.BaseUrl);
    }

    private static async Task<List<string>> ViolationsAsync(IPage page, string state)
    {
        var result = await page.RunAxe();
        var found = new List<string>();
        foreach (var violation in result.Violations)
        {
            var inToolbar = violation.Nodes.Where(n => n.Target.ToString().Contains("toolbar-root", StringComparison.Ordinal)).ToList();
            if (inToolbar.Count > 0)
            {
                found.Add($"{state}: {violation.Id} ({violation.Impact}) on {string.Join(", ", inToolbar.Take(4).Select(n => n.Target + " " + n.Html))}");
            }
            else if (PageRules.Contains(violation.Id))
            {
                found.Add($"{state}: page-level {violation.Id} on {string.Join(", ", violation.Nodes.Take(4).Select(n => n.Target.ToString()))}");
            }
        }

        return found;
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Axe_finds_no_violation_in_the_toolbar_or_among_the_page_landmarks(string theme)
    {
        await using var session = await NewPageAsync(theme == "dark" ? ColorScheme.Dark : ColorScheme.Light);
        // A heap snapshot, so the memory panel shows its snapshot list and controls too.
        var snapshot = await session.Page.APIRequest.PostAsync(session.BaseUrl + "/_toolbar/panels/memory/snapshots", new() { Headers = new Dictionary<string, string> { ["X-Toolbar-Request"] = "1" } });
        Assert.True(snapshot.Ok, $"snapshot: {snapshot.Status}");
        await session.GotoAsync("/products");
        var problems = await ViolationsAsync(session.Page, "collapsed");
        await session.Page.Locator("[data-toolbar-handle]").ClickAsync();
        await session.Page.Locator("button[data-panel]").First.WaitForAsync();
        problems.AddRange(await ViolationsAsync(session.Page, "expanded"));
        var ids = await session.Page.Locator("button[data-panel]").EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.dataset.panel)");
        Assert.True(ids.Length >= 9, "panels: " + string.Join(", ", ids));
        foreach (var id in ids)
        {
            var content = await session.OpenPanelAsync(id);
            if (id == "history")
            {
                await Assertions.Expect(content.Locator("tr[data-history-id]").First).ToBeVisibleAsync();
            }

            problems.AddRange(await ViolationsAsync(session.Page, id));
            // Data tables (those with column headers) have a caption for screen readers.
            var uncaptioned = await content.EvaluateAsync<int>("c => [...c.querySelectorAll('table')].filter(t => t.querySelector('thead th') && !t.caption).length");
            if (uncaptioned > 0)
            {
                problems.Add($"{id}: {uncaptioned} table(s) with column headers but no caption");
            }

            await session.ScreenshotAsync($"theme-{theme}-{id}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The element focused inside the toolbar's shadow root (or "page" when focus is outside it).</summary>
    private const string Focused = @"() => {
        const host = [...document.querySelectorAll('div#toolbar-root')].find(d => d.shadowRoot);
        if (document.activeElement !== host) return document.activeElement === document.body ? 'body' : 'page';
        const f = host.shadowRoot.activeElement;
        return f ? (f.dataset.panel ? 'tab:' + f.dataset.panel : f.hasAttribute('data-toolbar-handle') ? 'handle' : f.className) : 'host';
    }";

    [Fact]
    public async Task The_keyboard_reaches_everything_and_escape_returns_focus_to_the_tab()
    {
        await using var session = await NewPageAsync(ColorScheme.Light);
        await session.GotoAsync("/products");
        // No focus stolen on load.
        Assert.Equal("body", await session.Page.EvaluateAsync<string>(Focused));

        // Tab reaches the handle from the page (it is the last thing in the document).
        string focused = "";
        for (var i = 0; i < 80 && focused != "handle"; i++)
        {
            await session.Page.Keyboard.PressAsync("Tab");
            focused = await session.Page.EvaluateAsync<string>(Focused);
        }

        Assert.Equal("handle", focused);
        await session.Page.Keyboard.PressAsync("Enter");
        await session.Page.Locator("button[data-panel]").First.WaitForAsync();
        var ids = await session.Page.Locator("button[data-panel]").EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.dataset.panel)");

        // The tab list is one tab stop; arrows move within it, Home/End jump.
        for (var i = 0; i < 10 && !focused.StartsWith("tab:", StringComparison.Ordinal); i++)
        {
            await session.Page.Keyboard.PressAsync("Tab");
            focused = await session.Page.EvaluateAsync<string>(Focused);
        }

        Assert.Equal("tab:" + ids[0], focused);
        await session.Page.Keyboard.PressAsync("ArrowDown");
        Assert.Equal("tab:" + ids[1], await session.Page.EvaluateAsync<string>(Focused));
        await session.Page.Keyboard.PressAsync("End");
        Assert.Equal("tab:" + ids[^1], await session.Page.EvaluateAsync<string>(Focused));
        await session.Page.Keyboard.PressAsync("ArrowDown");
        Assert.Equal("tab:" + ids[0], await session.Page.EvaluateAsync<string>(Focused));
        await session.Page.Keyboard.PressAsync("ArrowUp");
        Assert.Equal("tab:" + ids[^1], await session.Page.EvaluateAsync<string>(Focused));
        await session.Page.Keyboard.PressAsync("Home");
        await session.Page.Keyboard.PressAsync("ArrowDown");
        Assert.Equal("tab:" + ids[1], await session.Page.EvaluateAsync<string>(Focused));

        // Enter opens the panel; focus moves on into it with Tab; Escape closes it and returns to its tab.
        await session.Page.Keyboard.PressAsync("Enter");
        var content = session.Page.Locator($"[data-panel-content=\"{ids[1]}\"]");
        await Assertions.Expect(content).Not.ToHaveAttributeAsync("aria-busy", "true");
        await Assertions.Expect(session.Page.Locator($"button[data-panel=\"{ids[1]}\"]")).ToHaveAttributeAsync("aria-selected", "true");
        await session.Page.Keyboard.PressAsync("Tab");
        Assert.NotEqual("tab:" + ids[1], await session.Page.EvaluateAsync<string>(Focused));
        // Visible focus: the focused control draws an outline.
        var outline = await session.Page.EvaluateAsync<string>(@"() => {
            const host = [...document.querySelectorAll('div#toolbar-root')].find(d => d.shadowRoot);
            return getComputedStyle(host.shadowRoot.activeElement).outlineStyle; }");
        Assert.NotEqual("none", outline);
        await session.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(content).ToHaveCountAsync(0);
        Assert.Equal("tab:" + ids[1], await session.Page.EvaluateAsync<string>(Focused));

        // Escape again collapses the toolbar and gives focus back to the handle.
        await session.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(session.Page.Locator("button[data-panel]").First).ToBeHiddenAsync();
        Assert.Equal("handle", await session.Page.EvaluateAsync<string>(Focused));

        // No trap: Tab moves on out of the toolbar.
        await session.Page.Keyboard.PressAsync("Tab");
        Assert.NotEqual("handle", await session.Page.EvaluateAsync<string>(Focused));
        Assert.Empty(session.ConsoleErrors);
    }

    private const string ContentBackground = @"() => {
        const host = [...document.querySelectorAll('div#toolbar-root')].find(d => d.shadowRoot);
        const c = getComputedStyle(host.shadowRoot.querySelector('.tb-content')).backgroundColor.match(/\d+/g).map(Number);
        return (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255; }";

    [Theory]
    [InlineData("light", false)]
    [InlineData("dark", true)]
    public async Task The_theme_follows_the_system_until_the_switch_picks_one_remembered_per_browser(string scheme, bool systemDark)
    {
        await using var session = await NewPageAsync(systemDark ? ColorScheme.Dark : ColorScheme.Light);
        await session.GotoAsync("/products");
        await session.OpenPanelAsync("request");
        var theme = session.Page.Locator("[data-toolbar-theme]");
        await Assertions.Expect(theme).ToHaveAttributeAsync("aria-label", "Theme: auto. Change theme");
        var auto = await session.Page.EvaluateAsync<double>(ContentBackground);
        Assert.True(systemDark ? auto < 0.2 : auto > 0.9, $"{scheme}: luminance {auto}");

        await theme.ClickAsync(); // light
        Assert.True(await session.Page.EvaluateAsync<double>(ContentBackground) > 0.9);
        await theme.ClickAsync(); // dark
        Assert.True(await session.Page.EvaluateAsync<double>(ContentBackground) < 0.2);
        await Assertions.Expect(theme).ToHaveAttributeAsync("aria-label", "Theme: dark. Change theme");

        // Remembered by this browser: a new page starts dark whatever the system says.
        await session.Page.ReloadAsync();
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"request\"]")).ToBeVisibleAsync();
        await session.OpenPanelAsync("request");
        Assert.True(await session.Page.EvaluateAsync<double>(ContentBackground) < 0.2);
        await session.ScreenshotAsync($"theme-{scheme}-system-switched-dark");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task Screen_readers_hear_names_subtitles_status_and_new_records()
    {
        await using var session = await NewPageAsync(ColorScheme.Light);
        await session.GotoAsync("/products");
        await session.Page.Locator("[data-toolbar-handle]").ClickAsync();
        // The N+1 page's SQL entry: its name, its subtitle and its status in words.
        var sql = session.Page.Locator("button[data-panel=\"sql\"]");
        await Assertions.Expect(sql).ToHaveAttributeAsync("role", "tab");
        await Assertions.Expect(sql).ToHaveAccessibleNameAsync(new System.Text.RegularExpressions.Regex("^SQL\\s*11 queries.*N\\+1\\s*warning$"));
        await Assertions.Expect(session.Page.Locator("[role=tablist]")).ToHaveAccessibleNameAsync("Toolbar panels");

        // A fetch the page makes is announced in a polite live region.
        await session.Page.EvaluateAsync("() => fetch('/api/products')");
        var live = session.Page.Locator(".tb-sr-only[role=status]");
        await Assertions.Expect(live).ToHaveAttributeAsync("aria-live", "polite");
        await Assertions.Expect(live).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("new fetch record, GET /api/products, 200"));
        Assert.Empty(session.ConsoleErrors);
    }
}
