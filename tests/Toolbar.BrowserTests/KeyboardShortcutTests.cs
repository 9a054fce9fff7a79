using System.Text.Json;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

/// <summary>
/// Ctrl+Shift+` shows and hides the toolbar, Escape on the page closes an open panel; neither acts while the user
/// types in a field, neither takes a key the page handled, and only the exact shortcut is ever consumed.
/// </summary>
[Collection(BrowserCollection.Name)]
public class KeyboardShortcutTests(BrowserFixture browser)
{
    private const string Shortcut = "Control+Shift+Backquote";

    /// <summary>
    /// Fields and a button at the top of the page, and two page listeners: one on document (runs before the toolbar's)
    /// and one added to window after the toolbar's, which sees whether the toolbar consumed the key (defaultPrevented).
    /// </summary>
    private const string PageFixture = @"() => {
        const box = document.createElement('div');
        box.id = 'kb-fixture';
        const add = (tag, id, attrs = {}) => { const e = document.createElement(tag); e.id = id; for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); box.append(e); return e; };
        add('input', 'kb-input', { type: 'text' });
        add('textarea', 'kb-textarea');
        add('select', 'kb-select').append(new Option('one'), new Option('two'));
        add('div', 'kb-editable', { contenteditable: 'true' }).textContent = 'edit me';
        add('button', 'kb-button', { type: 'button' }).textContent = 'page button';
        document.body.prepend(box);
        window.__keys = [];
        document.addEventListener('keydown', e => window.__keys.push({ at: 'document', key: e.key, target: e.target.id || e.target.tagName }));
        window.addEventListener('keydown', e => window.__keys.push({ at: 'window', key: e.key, code: e.code, prevented: e.defaultPrevented }));
    }";

    private const string Focused = @"() => {
        const host = [...document.querySelectorAll('div#toolbar-root')].find(d => d.shadowRoot);
        if (document.activeElement !== host) return document.activeElement.id || document.activeElement.tagName;
        const f = host.shadowRoot.activeElement;
        return f ? (f.dataset.panel ? 'tab:' + f.dataset.panel : f.hasAttribute('data-toolbar-handle') ? 'handle' : f.className) : 'host';
    }";

    private static async Task<KeyEvent[]> TakeKeysAsync(IPage page) =>
        JsonSerializer.Deserialize<KeyEvent[]>(await page.EvaluateAsync<string>("() => JSON.stringify(window.__keys.splice(0))"), JsonSerializerOptions.Web)!;

    private static KeyEvent WindowEntry(KeyEvent[] keys, string code) => Assert.Single(keys, k => k.At == "window" && k.Code == code);

    private static async Task<PageSession> OpenAsync(BrowserFixture browser)
    {
        var session = await browser.NewPageAsync();
        await session.GotoAsync("/products");
        await session.Page.EvaluateAsync(PageFixture);
        return session;
    }

    [Fact]
    public async Task The_shortcut_shows_and_hides_the_toolbar_and_focus_comes_back_to_where_it_was()
    {
        await using var session = await OpenAsync(browser);
        var tabs = session.Page.Locator("button[data-panel]");
        await Assertions.Expect(session.Page.Locator("[data-toolbar-handle]")).ToHaveAttributeAsync("aria-keyshortcuts", "Control+Shift+`");
        await session.Page.Locator("#kb-button").FocusAsync();

        await session.Page.Keyboard.PressAsync(Shortcut);
        await Assertions.Expect(tabs.First).ToBeVisibleAsync();
        // Keyboard users land in the nav.
        Assert.StartsWith("tab:", await session.Page.EvaluateAsync<string>(Focused), StringComparison.Ordinal);
        var keys = await TakeKeysAsync(session.Page);
        Assert.Contains(keys, k => k.At == "document" && k.Target == "kb-button");
        Assert.True(WindowEntry(keys, "Backquote").Prevented, "the shortcut was not consumed");

        await session.Page.Keyboard.PressAsync(Shortcut);
        await Assertions.Expect(tabs.First).ToBeHiddenAsync();
        Assert.Equal("kb-button", await session.Page.EvaluateAsync<string>(Focused));
        await session.Page.Keyboard.PressAsync(Shortcut);
        await Assertions.Expect(tabs.First).ToBeVisibleAsync();
        Assert.Equal("expanded", await session.Page.EvaluateAsync<string>("() => localStorage.getItem('toolbar.state')"));
        await session.Page.Keyboard.PressAsync(Shortcut);
        await Assertions.Expect(tabs.First).ToBeHiddenAsync();
        await TakeKeysAsync(session.Page);

        // Other keys and near misses are the page's: not consumed, the toolbar does not move.
        await session.Page.Locator("#kb-button").FocusAsync();
        // AltGr arrives as Ctrl+Alt; Firefox's access keys are Alt+Shift.
        foreach (var key in new[] { "k", "Shift+K", "Control+Backquote", "Alt+Shift+Backquote", "Control+Alt+Backquote", "Control+Shift+Alt+Backquote", "Control+Shift+KeyD", "Escape", "F2" })
        {
            await session.Page.Keyboard.PressAsync(key);
        }

        keys = await TakeKeysAsync(session.Page);
        var windowKeys = keys.Where(k => k.At == "window" && k.Key is not ("Control" or "Shift" or "Alt")).ToList();
        Assert.Equal(9, windowKeys.Count);
        Assert.All(windowKeys, k => Assert.False(k.Prevented, $"{k} was consumed"));
        Assert.Equal(9, keys.Count(k => k.At == "document" && k.Key is not ("Control" or "Shift" or "Alt")));
        await Assertions.Expect(tabs.First).ToBeHiddenAsync();

        // Matched by the key's position: on a layout where that key types '^' (German), it is the same shortcut.
        await session.Page.EvaluateAsync("() => document.getElementById('kb-button').dispatchEvent(new KeyboardEvent('keydown', { key: '^', code: 'Backquote', ctrlKey: true, shiftKey: true, bubbles: true, composed: true, cancelable: true }))");
        await Assertions.Expect(tabs.First).ToBeVisibleAsync();
        Assert.Empty(session.ConsoleErrors);
    }

    [Theory]
    [InlineData("kb-input")]
    [InlineData("kb-textarea")]
    [InlineData("kb-select")]
    [InlineData("kb-editable")]
    public async Task The_shortcut_does_nothing_while_typing_in_a_field_and_the_key_reaches_it(string field)
    {
        await using var session = await OpenAsync(browser);
        var target = session.Page.Locator("#" + field);
        await target.FocusAsync();

        await session.Page.Keyboard.PressAsync(Shortcut);

        Assert.False(WindowEntry(await TakeKeysAsync(session.Page), "Backquote").Prevented);
        await Assertions.Expect(session.Page.Locator("button[data-panel]").First).ToBeHiddenAsync();
        Assert.Equal(field, await session.Page.EvaluateAsync<string>(Focused));
        if (field != "kb-select")
        {
            await session.Page.Keyboard.TypeAsync("xy");
            var text = await target.EvaluateAsync<string>("e => e.value ?? e.textContent");
            Assert.Contains("xy", text, StringComparison.Ordinal);
        }

        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task A_shortcut_the_page_handled_itself_is_left_to_the_page()
    {
        await using var session = await OpenAsync(browser);
        await session.Page.EvaluateAsync("() => document.addEventListener('keydown', e => { if (e.code === 'Backquote') e.preventDefault(); })");
        await session.Page.Locator("#kb-button").FocusAsync();

        await session.Page.Keyboard.PressAsync(Shortcut);

        Assert.True(WindowEntry(await TakeKeysAsync(session.Page), "Backquote").Prevented);
        await Assertions.Expect(session.Page.Locator("button[data-panel]").First).ToBeHiddenAsync();
        await Assertions.Expect(session.Page.Locator("[data-toolbar-handle]")).ToHaveAttributeAsync("aria-expanded", "false");
    }

    [Fact]
    public async Task Escape_on_the_page_closes_the_open_panel_and_still_reaches_the_page_but_not_from_a_field()
    {
        await using var session = await OpenAsync(browser);
        await session.OpenPanelAsync("request");
        await session.Page.Locator("#kb-input").FocusAsync();
        await session.Page.Keyboard.PressAsync("Escape");
        // Typing in a field: Escape is the field's.
        await Assertions.Expect(session.Page.Locator("[data-panel-content=\"request\"]")).ToBeVisibleAsync();

        await session.Page.Locator("#kb-button").FocusAsync();
        await TakeKeysAsync(session.Page);
        await session.Page.Keyboard.PressAsync("Escape");

        await Assertions.Expect(session.Page.Locator("[data-panel-content=\"request\"]")).ToHaveCountAsync(0);
        // Only the panel: the toolbar stays open, and the page heard its Escape, not prevented.
        await Assertions.Expect(session.Page.Locator("button[data-panel]").First).ToBeVisibleAsync();
        var keys = await TakeKeysAsync(session.Page);
        Assert.Contains(keys, k => k.At == "document" && k.Key == "Escape");
        Assert.False(WindowEntry(keys, "Escape").Prevented);
        Assert.Equal("kb-button", await session.Page.EvaluateAsync<string>(Focused));

        // An Escape the page handled itself (preventDefault) is the page's.
        await session.OpenPanelAsync("request");
        await session.Page.EvaluateAsync("() => document.addEventListener('keydown', e => { if (e.key === 'Escape') e.preventDefault(); })");
        await session.Page.Locator("#kb-button").FocusAsync();
        await session.Page.Keyboard.PressAsync("Escape");
        await session.Page.WaitForTimeoutAsync(200);
        await Assertions.Expect(session.Page.Locator("[data-panel-content=\"request\"]")).ToBeVisibleAsync();
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task Keyboard_users_reach_the_new_requests_counter_and_the_follow_and_corner_controls()
    {
        const string Where = @"() => {
            const host = [...document.querySelectorAll('div#toolbar-root')].find(d => d.shadowRoot);
            const f = document.activeElement === host && host.shadowRoot.activeElement;
            if (!f) return 'page';
            if (f.dataset.toolbarNew) return 'new:' + f.dataset.toolbarNew;
            if (f.hasAttribute('data-toolbar-follow')) return 'follow';
            if (f.hasAttribute('data-toolbar-corner')) return 'corner';
            if (f.hasAttribute('data-toolbar-handle')) return 'handle';
            return f.dataset.panel ? 'tab' : f.className;
        }";
        await using var session = await OpenAsync(browser);
        await session.Page.EvaluateAsync("() => fetch('/api/products?kb=1').then(r => r.text())");
        await Assertions.Expect(session.Page.Locator("[data-toolbar-new=\"handle\"]")).ToHaveTextAsync("+1");

        // The counter is the next tab stop after the handle; Enter opens the toolbar on the latest request.
        await session.Page.Locator("[data-toolbar-handle]").FocusAsync();
        await session.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("new:handle", await session.Page.EvaluateAsync<string>(Where));
        await session.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(session.Page.Locator(".tb-summary .tb-path")).ToHaveTextAsync("/api/products?kb=1");
        Assert.Equal("tab", await session.Page.EvaluateAsync<string>(Where));

        // Follow sits just before the tab list; Space ticks it.
        await session.Page.Keyboard.PressAsync("Shift+Tab");
        Assert.Equal("follow", await session.Page.EvaluateAsync<string>(Where));
        await session.Page.Keyboard.PressAsync("Space");
        await Assertions.Expect(session.Page.Locator("[data-toolbar-follow]")).ToBeCheckedAsync();

        // The corner choice follows the tab list and the nav's links; arrow keys change it.
        var where = "";
        for (var i = 0; i < 8 && where != "corner"; i++)
        {
            await session.Page.Keyboard.PressAsync("Tab");
            where = await session.Page.EvaluateAsync<string>(Where);
        }

        Assert.Equal("corner", where);
        await session.Page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(session.Page.Locator("[data-toolbar-corner]")).ToHaveValueAsync("bottom-left");
        Assert.Equal("bottom-left", await session.Page.EvaluateAsync<string>("() => localStorage.getItem('toolbar.corner')"));
        Assert.Empty(session.ConsoleErrors);
    }

    /// <summary>A keydown as a page listener saw it.</summary>
    public sealed record KeyEvent(string At, string Key, string? Code, bool Prevented, string? Target);
}
