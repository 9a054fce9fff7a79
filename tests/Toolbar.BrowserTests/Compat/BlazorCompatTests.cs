using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Compat.Blazor;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests.Compat;

/// <summary>
/// A Blazor Web App: static SSR with streaming rendering (updates are appended after &lt;/html&gt; while the
/// response is open), enhanced navigation (pages fetched and merged into the DOM) and an interactive server
/// page (a SignalR circuit). The toolbar must appear and break none of them.
/// </summary>
[Collection(BrowserCollection.Name)]
public class BlazorCompatTests(BrowserFixture browser)
{
    private static Task<KestrelApp> StartAsync() => KestrelApp.StartAsync(
        a =>
        {
            a.UseAntiforgery();
            a.MapStaticAssets();
            a.MapRazorComponents<BlazorApp>().AddInteractiveServerRenderMode();
        },
        b => b.Services.AddRazorComponents().AddInteractiveServerComponents());

    [Fact]
    public async Task Streaming_rendering_updates_reach_the_browser_before_the_response_ends()
    {
        BlazorGate.Current = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await StartAsync();
        await using var session = await app.NewPageAsync(browser);
        try
        {
            // The load event only fires when the stream ends, so do not wait for it.
            await session.Page.GotoAsync(app.BaseUrl + "/blazor/streaming", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            await Assertions.Expect(session.Page.Locator("#state")).ToHaveTextAsync("first update", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        }
        finally
        {
            BlazorGate.Current.TrySetResult();
        }

        await Assertions.Expect(session.Page.Locator("#state")).ToHaveTextAsync("done", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        await Assertions.Expect(session.Page.Locator(".tb-handle-status")).ToHaveTextAsync("200", new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        var content = await session.OpenPanelAsync("request");
        await Assertions.Expect(content).ToContainTextAsync("/blazor/streaming");
        Assert.True(session.ConsoleErrors.Count == 0, "Console errors: " + string.Join(" | ", session.ConsoleErrors));
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Enhanced_navigation_to_an_interactive_page_keeps_the_toolbar_and_the_circuit()
    {
        BlazorGate.Current = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        BlazorGate.Current.SetResult();
        await using var app = await StartAsync();
        await using var session = await app.NewPageAsync(browser);

        await session.GotoAsync("/blazor/streaming");
        await Assertions.Expect(session.Page.Locator("#state")).ToHaveTextAsync("done");
        await session.Page.ClickAsync("#to-counter");
        await Assertions.Expect(session.Page.Locator("#count")).ToHaveTextAsync("Count: 0");
        Assert.EndsWith("/blazor/counter", session.Page.Url, StringComparison.Ordinal);

        // Clicks before the circuit is connected are lost: click until the interactive component answers.
        var count = session.Page.Locator("#count");
        for (var i = 0; i < 50 && await count.TextContentAsync() == "Count: 0"; i++)
        {
            await session.Page.ClickAsync("#increment");
            await Task.Delay(200);
        }

        var clicked = int.Parse((await count.TextContentAsync())!["Count: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(clicked, 1, 50);
        await Assertions.Expect(session.Page.Locator("#toolbar-root")).ToHaveCountAsync(1);
        await Assertions.Expect(session.Page.Locator("[data-toolbar-handle]")).ToBeVisibleAsync();
        await session.OpenPanelAsync("request");
        Assert.True(session.ConsoleErrors.Count == 0, "Console errors: " + string.Join(" | ", session.ConsoleErrors));
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task Enhanced_navigation_switches_the_toolbar_to_the_new_page_record_listed_once()
    {
        BlazorGate.Current = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        BlazorGate.Current.SetResult();
        await using var app = await StartAsync();
        await using var session = await app.NewPageAsync(browser);
        await session.GotoAsync("/blazor/streaming");
        await Assertions.Expect(session.Page.Locator("#state")).ToHaveTextAsync("done");
        var host = session.Page.Locator("#toolbar-root");
        var firstId = await host.GetAttributeAsync("data-toolbar-id");
        var content = await session.OpenPanelAsync("request");
        await Assertions.Expect(session.Page.Locator(".tb-summary .tb-path")).ToHaveTextAsync("/blazor/streaming");

        var seen = new List<string> { firstId! };
        foreach (var (link, path) in new[] { ("#to-weather", "/blazor/weather"), ("#to-streaming", "/blazor/streaming"), ("#to-weather", "/blazor/weather") })
        {
            var before = await host.GetAttributeAsync("data-toolbar-id");
            await session.Page.ClickAsync(link);
            await Assertions.Expect(host).Not.ToHaveAttributeAsync("data-toolbar-id", before!);
            var id = await host.GetAttributeAsync("data-toolbar-id");
            Assert.DoesNotContain(id, seen);
            seen.Add(id!);

            // The toolbar shows the new page's record (its nav, its handle), not the first page's.
            await Assertions.Expect(session.Page.Locator(".tb-summary .tb-path")).ToHaveTextAsync(path);
            await Assertions.Expect(session.Page.Locator(".tb-record-select option:checked")).ToHaveAttributeAsync("value", id!);
            // The open panel stays open and now shows the new record.
            await Assertions.Expect(content).ToContainTextAsync(path);
            // The enhanced-navigation fetch that carried the page is listed once, as a page.
            var options = session.Page.Locator($".tb-record-select option[value=\"{id}\"]");
            await Assertions.Expect(options).ToHaveCountAsync(1);
            await Assertions.Expect(options).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Page · GET " + System.Text.RegularExpressions.Regex.Escape(path)));
        }

        // Every page was listed exactly once, and as a page.
        var listed = await session.Page.Locator(".tb-record-select option").EvaluateAllAsync<string[]>("o => o.map(x => x.value)");
        Assert.Equal(seen, listed);
        Assert.True(session.ConsoleErrors.Count == 0, "Console errors: " + string.Join(" | ", session.ConsoleErrors));
    }
}
