using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

/// <summary>
/// Pages that try to steer the toolbar through their markup (DOM clobbering) and pages with strict
/// Content-Security-Policies (nonces with 'strict-dynamic', Trusted Types): the toolbar finds itself, talks only
/// to its own origin and prefix, renders where the policy lets it and explains itself where it does not,
/// with nothing on the page's console.
/// </summary>
[Collection(BrowserCollection.Name)]
public class HostilePageTests(BrowserFixture browser)
{
    private const string Clobbering =
        "<div id=\"toolbar-root\" data-toolbar-id=\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" data-toolbar-prefix=\"http://evil.invalid/x\" data-toolbar-mode=\"page\"></div>"
        + "<div id=\"toolbar-root\" data-toolbar-prefix=\"//evil.invalid\"></div>"
        + "<a id=\"__toolbar\" href=\"#top\">anchor named __toolbar</a>"
        + "<img name=\"currentScript\" alt=\"\"><img name=\"body\" alt=\"\"><img name=\"createElement\" alt=\"\">"
        + "<form name=\"getElementsByTagName\"></form><img id=\"addEventListener\" alt=\"\"><img id=\"dispatchEvent\" alt=\"\">";

    private static Task<KestrelApp> StartAsync() => KestrelApp.StartAsync(a =>
    {
        a.MapGet("/clobber", () => Page("Clobbering", Clobbering));
        a.MapGet("/csp/{kind}", (HttpContext http, string kind) =>
        {
            http.Response.Headers.ContentSecurityPolicy = kind switch
            {
                "nonce" => "script-src 'nonce-Rm9vQmFyMTIz' 'strict-dynamic'; style-src 'nonce-Rm9vQmFyMTIz'; object-src 'none'; base-uri 'none'",
                "tt-allowed" => "require-trusted-types-for 'script'; trusted-types toolbar other",
                "tt-blocked" => "require-trusted-types-for 'script'; trusted-types other",
                _ => "default-src 'self'",
            };
            return Page("CSP " + kind, "<p>strict page</p>");
        });
    });

    private static IResult Page(string title, string body) => Results.Content(
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>",
        "text/html; charset=utf-8");

    [Fact]
    public async Task Page_markup_cannot_redirect_disable_or_shadow_the_toolbar()
    {
        await using var app = await StartAsync();
        await using var session = await app.NewPageAsync(browser);
        var requested = new List<string>();
        session.Page.Request += (_, request) => requested.Add(request.Url);

        await session.GotoAsync("/clobber");
        await Assertions.Expect(session.Page.Locator(".tb-handle-status")).ToHaveTextAsync("200");
        var content = await session.OpenPanelAsync("request");
        await Assertions.Expect(content).ToContainTextAsync("/clobber");

        // The real host (the one before the toolbar's script) got the shadow root; the decoys did not.
        var shadows = await session.Page.EvaluateAsync<bool[]>("() => [...document.querySelectorAll('div#toolbar-root')].map(d => d.shadowRoot !== null)");
        Assert.Equal([false, false, true], shadows);
        // The API sits under a Symbol: markup named __toolbar shadows nothing, and the old name still reaches the API.
        Assert.True(await session.Page.EvaluateAsync<bool>("() => window[Symbol.for('toolbar')].prefix === '/_toolbar' && window.__toolbar === window[Symbol.for('toolbar')]"));

        // It refuses to talk to anything but its own origin and prefix.
        var refused = await session.Page.EvaluateAsync<string[]>(@"async () => {
            const api = window[Symbol.for('toolbar')];
            const out = [];
            for (const url of ['http://evil.invalid/_toolbar/api/requests', '//evil.invalid/_toolbar/x', '/api/products', '/_toolbar/../api/products', '/_toolbarx/api'])
              await api.request(url).then(() => out.push('allowed ' + url), () => out.push('refused'));
            return out;
        }");
        Assert.All(refused, r => Assert.Equal("refused", r));
        Assert.All(requested, url => Assert.StartsWith(app.BaseUrl + "/", url, StringComparison.Ordinal));
        Assert.DoesNotContain(requested, url => url.Contains("evil", StringComparison.Ordinal));
        Assert.True(session.ConsoleErrors.Count == 0, "Console errors: " + string.Join(" | ", session.ConsoleErrors));
    }

    [Theory]
    [InlineData("nonce")]
    [InlineData("tt-allowed")]
    [InlineData("self")]
    public async Task Every_panel_renders_under_a_strict_policy_with_nothing_on_the_console(string kind)
    {
        await using var app = await StartAsync();
        await using var session = await app.NewPageAsync(browser);
        await session.GotoAsync("/csp/" + kind);
        await Assertions.Expect(session.Page.Locator(".tb-handle-status")).ToHaveTextAsync("200");
        // The stylesheet was let in: the handle's dock is laid out by toolbar.css, not by the page.
        Assert.Equal("fixed", await session.Page.Locator("[data-toolbar-handle]").EvaluateAsync<string>("h => getComputedStyle(h.parentElement).position"));

        await session.Page.Locator("[data-toolbar-handle]").ClickAsync();
        var ids = await session.Page.Locator("button[data-panel]").EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.dataset.panel)");
        Assert.Contains("timing", ids);
        foreach (var id in ids)
        {
            var content = await session.OpenPanelAsync(id);
            await Assertions.Expect(content.Locator(".tb-error:visible")).ToHaveCountAsync(0);
            await Assertions.Expect(content).Not.ToBeEmptyAsync();
            if (id == "history")
            {
                // Panel scripts ran too (they need the nonce, or the policy for their src): the history script fills its rows.
                await Assertions.Expect(content.Locator("tr[data-history-id]").First).ToBeVisibleAsync();
            }
        }

        Assert.Contains("history", ids);
        Assert.True(session.ConsoleErrors.Count == 0, "Console errors: " + string.Join(" | ", session.ConsoleErrors));
    }

    [Fact]
    public async Task Trusted_types_without_the_toolbar_policy_say_why_in_the_toolbar_and_nothing_on_the_console()
    {
        await using var app = await StartAsync();
        await using var session = await app.NewPageAsync(browser);
        await session.GotoAsync("/csp/tt-blocked");
        await Assertions.Expect(session.Page.Locator(".tb-handle-status")).ToHaveTextAsync("200");
        var content = await session.OpenPanelAsync("request");
        var message = content.Locator("[data-toolbar-trusted-types]");
        await Assertions.Expect(message).ToContainTextAsync("trusted-types");
        await Assertions.Expect(message).ToContainTextAsync("'toolbar'");
        await session.ScreenshotAsync("csp-trusted-types-blocked");
        Assert.True(session.ConsoleErrors.Count == 0, "Console errors: " + string.Join(" | ", session.ConsoleErrors));
    }
}
