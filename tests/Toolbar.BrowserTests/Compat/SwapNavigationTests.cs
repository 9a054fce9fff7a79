using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests.Compat;

/// <summary>
/// Navigation without a reload the way Turbo Drive (the body replaced by the fetched page's body) and htmx's
/// boosted links (the body's content swapped) do it: the toolbar follows the new page's record and lists the
/// fetch that carried it once, as the page.
/// </summary>
[Collection(BrowserCollection.Name)]
public class SwapNavigationTests(BrowserFixture browser)
{
    private const string SwapScript = """
        document.addEventListener('click', async e => {
          const a = e.target.closest('a[data-swap]');
          if (!a) return;
          e.preventDefault();
          const html = await (await fetch(a.href)).text();
          const doc = new DOMParser().parseFromString(html, 'text/html');
          if (a.dataset.swap === 'body') document.body.replaceWith(document.adoptNode(doc.body));
          else document.body.innerHTML = doc.body.innerHTML;
          history.pushState({}, '', a.href);
        });
        """;

    private static Task<KestrelApp> StartAsync() => KestrelApp.StartAsync(a =>
    {
        a.MapGet("/swap.js", () => Results.Text(SwapScript, "text/javascript"));
        a.MapGet("/swap/{name}", (string name) => Results.Content(
            "<!DOCTYPE html><html lang=\"en\"><head><title>swap</title><script src=\"/swap.js\" defer></script></head><body><main>"
            + $"<h1 id=\"name\">{name}</h1><a id=\"body-swap\" data-swap=\"body\" href=\"/swap/{name}b\">body</a> "
            + $"<a id=\"inner-swap\" data-swap=\"inner\" href=\"/swap/{name}i\">inner</a></main></body></html>",
            "text/html; charset=utf-8"));
    });

    [Fact]
    public async Task Body_swaps_switch_the_toolbar_to_the_new_page_record_listed_once()
    {
        await using var app = await StartAsync();
        await using var session = await app.NewPageAsync(browser);
        await session.GotoAsync("/swap/a");
        await session.Page.Locator("[data-toolbar-handle]").ClickAsync();
        var seen = new List<string> { (await session.Page.Locator("#toolbar-root").GetAttributeAsync("data-toolbar-id"))! };
        var path = "/swap/a";
        foreach (var link in new[] { "#body-swap", "#inner-swap", "#body-swap" })
        {
            path += link == "#body-swap" ? "b" : "i";
            await session.Page.ClickAsync(link);
            await Assertions.Expect(session.Page.Locator("#name")).ToHaveTextAsync(path["/swap/".Length..]);
            await Assertions.Expect(session.Page.Locator(".tb-summary .tb-path")).ToHaveTextAsync(path);
            // One host, ours (state intact: still expanded), carrying the new page's id.
            await Assertions.Expect(session.Page.Locator("#toolbar-root")).ToHaveCountAsync(1);
            await Assertions.Expect(session.Page.Locator("button[data-panel]").First).ToBeVisibleAsync();
            var id = await session.Page.Locator(".tb-record-select option:checked").GetAttributeAsync("value");
            Assert.DoesNotContain(id, seen);
            seen.Add(id!);
            var option = session.Page.Locator($".tb-record-select option[value=\"{id}\"]");
            await Assertions.Expect(option).ToHaveCountAsync(1);
            await Assertions.Expect(option).ToHaveTextAsync(new Regex("^Page · GET " + Regex.Escape(path)));
        }

        var listed = await session.Page.Locator(".tb-record-select option").EvaluateAllAsync<string[]>("o => o.map(x => x.value)");
        Assert.Equal(seen, listed);
        Assert.True(session.ConsoleErrors.Count == 0, "Console errors: " + string.Join(" | ", session.ConsoleErrors));
    }
}
