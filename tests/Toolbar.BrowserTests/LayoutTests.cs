using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

/// <summary>
/// Every panel the nav lists, laid out at 1024, 1400 and 2560 px and at 200 % zoom (a 1280×800 window whose CSS
/// viewport is 640×400): no horizontal overflow of the panel, nothing wrapped a few characters per line (fewer than five per line on average), the
/// drawer inside the viewport. Measured in the shadow DOM from the text's own line boxes. Screenshots of each.
/// And the full-page view: nav fixed at the left, content at its right, nothing that hides the page.
/// </summary>
[Collection(BrowserCollection.Name)]
public class LayoutTests(BrowserFixture browser)
{
    /// <summary>Layout problems inside the toolbar's shadow root, as sentences (none when the layout is right).</summary>
    private const string Measure = @"() => {
        const host = [...document.querySelectorAll('div#toolbar-root')].find(d => d.shadowRoot);
        const root = host.shadowRoot;
        const problems = [];
        for (const selector of ['.tb-content-body', '.tb-nav']) {
            const box = root.querySelector(selector);
            if (box && box.getClientRects().length && box.scrollWidth > box.clientWidth + 1)
                problems.push(`${selector} overflows horizontally: ${box.scrollWidth} px of content in ${box.clientWidth} px`);
        }
        const drawer = root.querySelector('.tb-drawer').getBoundingClientRect();
        if (drawer.left < -1 || drawer.right > innerWidth + 1) problems.push(`the drawer (${drawer.left}..${drawer.right}) leaves the viewport (${innerWidth})`);
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node; (node = walker.nextNode());) {
            const text = node.textContent.replace(/\s+/g, '');
            const parent = node.parentElement;
            if (text.length < 3 || !parent || !parent.getClientRects().length) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
            if (lines > 1 && text.length / lines < 5) problems.push(`""${node.textContent.trim().slice(0, 40)}"" wraps over ${lines} lines`);
        }
        return problems;
    }";

    public static TheoryData<int, int, float> Sizes => new()
    {
        { 1024, 768, 1 },
        { 1400, 900, 1 },
        { 2560, 1440, 1 },
        { 640, 400, 2 }, // 200 % zoom of a 1280×800 window
    };

    private async Task<PageSession> NewPageAsync(int width, int height, float scale)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = scale,
        });
        return new PageSession(context, await context.NewPageAsync(), browser.Server.BaseUrl);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Every_panel_is_laid_out_without_overflow_or_letter_per_line_wrapping(int width, int height, float scale)
    {
        await using var session = await NewPageAsync(width, height, scale);
        // Long, unbreakable paths and query strings in the history squeeze every other column.
        await session.Page.APIRequest.GetAsync(session.BaseUrl + "/products?q=" + new string('x', 180));
        await session.Page.APIRequest.GetAsync(session.BaseUrl + "/api/products?filter=" + string.Concat(Enumerable.Repeat("category-name-", 12)));
        await session.GotoAsync("/products?q=" + string.Concat(Enumerable.Repeat("abc", 40)));
        await session.Page.Locator("[data-toolbar-handle]").ClickAsync();
        var ids = await session.Page.Locator("button[data-panel]").EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.dataset.panel)");
        Assert.Contains("history", ids);
        var problems = new List<string>();
        foreach (var id in ids)
        {
            var content = await session.OpenPanelAsync(id);
            if (id == "history")
            {
                await Assertions.Expect(content.Locator("tr[data-history-id]").First).ToBeVisibleAsync();
            }

            problems.AddRange((await session.Page.EvaluateAsync<string[]>(Measure)).Select(p => $"{id}: {p}"));
            await session.ScreenshotAsync($"layout-{width * (int)scale}{(scale > 1 ? "-zoom200" : "")}-{id}");
        }

        Assert.True(problems.Count == 0, $"At {width}×{height} ×{scale}: " + string.Join(" | ", problems));
        Assert.Empty(session.ConsoleErrors);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task The_full_page_view_keeps_the_nav_at_the_left_and_nothing_strands_the_user(int width, int height, float scale)
    {
        await using var session = await NewPageAsync(width, height, scale);
        var response = await session.Page.APIRequest.GetAsync(session.BaseUrl + "/products");
        var id = response.Headers["x-toolbar-id"];
        await session.Page.GotoAsync($"{session.BaseUrl}/_toolbar/requests/{id}");
        var nav = session.Page.Locator("nav.tb-nav");
        await session.Page.Locator("button[data-panel]").First.WaitForAsync();
        var before = await nav.BoundingBoxAsync();
        Assert.NotNull(before);
        Assert.InRange(before.X, 0, 1);

        // No hide control: the page is the toolbar.
        await Assertions.Expect(session.Page.Locator(".tb-hide")).ToBeHiddenAsync();
        await Assertions.Expect(session.Page.Locator(".tb-placeholder")).ToBeVisibleAsync();
        await session.ScreenshotAsync($"page-view-{width * (int)scale}{(scale > 1 ? "-zoom200" : "")}-empty");

        var content = await session.OpenPanelAsync("sql");
        var after = await nav.BoundingBoxAsync();
        Assert.Equal(before.X, after!.X);
        Assert.Equal(before.Width, after.Width);
        var body = await session.Page.Locator(".tb-content").BoundingBoxAsync();
        if (width >= 760)
        {
            // Side by side: the content starts where the nav ends and fills the window.
            Assert.InRange(body!.X, before.X + before.Width - 1, before.X + before.Width + 1);
            Assert.InRange(body.X + body.Width, width - 1, width + 1);
        }

        var problems = await session.Page.EvaluateAsync<string[]>(Measure);
        Assert.True(problems.Length == 0, string.Join(" | ", problems));
        await session.ScreenshotAsync($"page-view-{width * (int)scale}{(scale > 1 ? "-zoom200" : "")}-sql");

        // Escape and the close button go back to the choice of panels, never to an empty page.
        await session.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(content).ToHaveCountAsync(0);
        await Assertions.Expect(session.Page.Locator(".tb-placeholder")).ToBeVisibleAsync();
        await Assertions.Expect(nav).ToBeVisibleAsync();
        Assert.Empty(session.ConsoleErrors);
    }
}
