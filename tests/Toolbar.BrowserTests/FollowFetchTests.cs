using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

/// <summary>
/// Follow fetch/XHR: off by default, remembered per browser; on, each new record of the page is shown as it arrives;
/// off, a counter of the records that arrived since the newest one looked at, which shows the latest. The page's own
/// fetch keeps its semantics (body, headers, errors, streaming) with the toolbar's wrapper in the path.
/// </summary>
[Collection(BrowserCollection.Name)]
public class FollowFetchTests(BrowserFixture browser)
{
    private static async Task<JsonDocument> EvaluateJsonAsync(IPage page, string function) =>
        JsonDocument.Parse(await page.EvaluateAsync<string>($"async () => JSON.stringify(await ({function})())"));

    /// <summary>A port of 127.0.0.1 that was free a moment ago: nothing listens there.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static Task FetchAsync(IPage page, string url) => page.EvaluateAsync("url => fetch(url).then(r => r.text())", url);

    private static Task XhrAsync(IPage page, string url) => page.EvaluateAsync(
        "url => new Promise((resolve, reject) => { const x = new XMLHttpRequest(); x.open('GET', url); x.onloadend = () => x.status ? resolve(x.status) : reject(new Error('xhr failed')); x.send(); })", url);

    [Fact]
    public async Task Following_switches_the_toolbar_to_each_new_fetch_and_xhr_record_and_is_remembered()
    {
        await using var session = await browser.NewPageAsync();
        var asked = new List<string>();
        session.Page.Request += (_, r) => asked.Add(r.Url);
        await session.GotoAsync("/products");
        var request = await session.OpenPanelAsync("request");
        var follow = session.Page.Locator("[data-toolbar-follow]");
        await Assertions.Expect(follow).Not.ToBeCheckedAsync(); // off by default
        await follow.CheckAsync();
        var path = session.Page.Locator(".tb-summary .tb-path");

        await FetchAsync(session.Page, "/api/products?follow=1");
        await Assertions.Expect(path).ToHaveTextAsync("/api/products?follow=1");
        // The open panel stays open, now on the fetch's record.
        await Assertions.Expect(request).ToContainTextAsync("follow=1");
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"request\"]")).ToHaveAttributeAsync("aria-selected", "true");

        await XhrAsync(session.Page, "/api/products?follow=2");
        await Assertions.Expect(path).ToHaveTextAsync("/api/products?follow=2");
        await Assertions.Expect(session.Page.Locator("[data-panel-content=\"request\"]")).ToContainTextAsync("follow=2");
        await Assertions.Expect(session.Page.Locator("[data-toolbar-new=\"nav\"]")).ToBeHiddenAsync();
        await session.ScreenshotAsync("follow-fetch-on");
        // A followed record is asked for with a wait (it may still be running), never retried through 404s.
        Assert.Contains(asked, u => u.EndsWith("/toolbar?wait=5000", StringComparison.Ordinal));

        // The toolbar's own URLs, fetched by the page, are not followed.
        await FetchAsync(session.Page, "/_toolbar/api/requests");
        await XhrAsync(session.Page, "/_toolbar/api/requests");
        await session.Page.WaitForTimeoutAsync(300);
        await Assertions.Expect(path).ToHaveTextAsync("/api/products?follow=2");
        await Assertions.Expect(session.Page.Locator(".tb-record-select option")).ToHaveCountAsync(3);

        // Remembered by this browser; collapsed, the handle shows the latest record it followed.
        await session.Page.ReloadAsync();
        await Assertions.Expect(session.Page.Locator(".tb-handle-status")).Not.ToHaveTextAsync("…");
        await Assertions.Expect(session.Page.Locator("[data-toolbar-follow]")).ToBeCheckedAsync();
        await session.Page.Locator(".tb-hide").ClickAsync();
        await FetchAsync(session.Page, "/api/products?follow=3");
        await Assertions.Expect(session.Page.Locator(".tb-handle-kind")).ToHaveTextAsync("FETCH /api/products?follow=3");
        await Assertions.Expect(session.Page.Locator(".tb-handle-status")).ToHaveTextAsync("200");
        await Assertions.Expect(session.Page.Locator(".tb-handle-time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d+)? m?s$"));
        await Assertions.Expect(session.Page.Locator("[data-toolbar-new=\"handle\"]")).ToBeHiddenAsync();
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task Not_following_counts_exactly_the_apps_new_records_never_the_toolbars_and_the_counter_shows_the_latest()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/products");
        await session.Page.Locator("[data-toolbar-handle]").ClickAsync();
        var navNew = session.Page.Locator("[data-toolbar-new=\"nav\"]");
        await Assertions.Expect(navNew).ToBeHiddenAsync();

        await FetchAsync(session.Page, "/api/products?n=1");
        await Assertions.Expect(navNew).ToHaveTextAsync("1 new · show latest");
        await FetchAsync(session.Page, "/api/products?n=2");
        await XhrAsync(session.Page, "/api/products?n=3");
        await FetchAsync(session.Page, "/api/products?n=4");
        await Assertions.Expect(navNew).ToHaveTextAsync("4 new · show latest");
        // Not followed: the toolbar still shows the page.
        await Assertions.Expect(session.Page.Locator(".tb-summary .tb-path")).ToHaveTextAsync("/products");

        // The toolbar's own requests: panels it loads, and toolbar URLs fetched by the page itself.
        await session.OpenPanelAsync("sql");
        var history = await session.OpenPanelAsync("history");
        await Assertions.Expect(history.Locator("tr[data-history-id]").First).ToBeVisibleAsync();
        await FetchAsync(session.Page, "/_toolbar/api/requests");
        await XhrAsync(session.Page, "/_toolbar/api/requests");
        await session.Page.EvaluateAsync("() => window[Symbol.for('toolbar')].request('/_toolbar/api/requests')");
        await Assertions.Expect(navNew).ToHaveTextAsync("4 new · show latest");
        await Assertions.Expect(navNew).ToHaveAccessibleNameAsync("4 new · show latest");
        // The drop-down lists the page and its four requests, none of the toolbar's.
        var listed = await session.Page.Locator(".tb-record-select option").AllTextContentsAsync();
        Assert.Equal(5, listed.Count);
        Assert.DoesNotContain(listed, text => text.Contains("_toolbar", StringComparison.Ordinal));

        // Collapsed, the counter sits beside the handle; it opens the toolbar on the latest record and is gone.
        await session.Page.Locator(".tb-hide").ClickAsync();
        var dockNew = session.Page.Locator("[data-toolbar-new=\"handle\"]");
        await Assertions.Expect(dockNew).ToHaveTextAsync("+4");
        await Assertions.Expect(dockNew).ToHaveAccessibleNameAsync("+4 new requests: show the latest");
        await session.ScreenshotAsync("follow-fetch-counter");
        await dockNew.ClickAsync();
        await Assertions.Expect(session.Page.Locator(".tb-summary .tb-path")).ToHaveTextAsync("/api/products?n=4");
        await Assertions.Expect(navNew).ToBeHiddenAsync();

        // Counting starts again from the newest record looked at.
        await XhrAsync(session.Page, "/api/products?n=5");
        await Assertions.Expect(navNew).ToHaveTextAsync("1 new · show latest");
        await session.ScreenshotAsync("follow-fetch-off");
        await navNew.ClickAsync();
        await Assertions.Expect(session.Page.Locator(".tb-summary .tb-path")).ToHaveTextAsync("/api/products?n=5");
        await Assertions.Expect(navNew).ToBeHiddenAsync();
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task The_pages_fetch_keeps_its_body_headers_errors_and_streaming()
    {
        await using var session = await browser.NewPageAsync();
        await session.GotoAsync("/products");
        var independent = await session.Page.APIRequest.GetAsync(session.BaseUrl + "/api/products");
        var expectedBody = await independent.TextAsync();
        Assert.StartsWith("[", expectedBody, StringComparison.Ordinal);

        using var resultJson = await EvaluateJsonAsync(session.Page, @"async () => {
            const r = await fetch('/api/products', { headers: { Accept: 'application/json' } });
            const unread = !r.bodyUsed && r instanceof Response;
            return { unread, status: r.status, type: r.headers.get('content-type'), id: r.headers.get('x-toolbar-id'), body: await r.text() };
        }");
        var result = resultJson.RootElement;
        Assert.True(result.GetProperty("unread").GetBoolean(), "the response reached the page already read");
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.StartsWith("application/json", result.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", result.GetProperty("id").GetString());
        Assert.Equal(expectedBody, result.GetProperty("body").GetString());
        // The wrapper was in the path: the record is counted.
        var counter = session.Page.Locator("[data-toolbar-new=\"handle\"]");
        await Assertions.Expect(counter).ToHaveTextAsync("+1");

        // The toolbar's own work waits for a task of its own: the page's code after await runs before it.
        Assert.Equal("+1", await session.Page.EvaluateAsync<string>(@"async () => {
            const host = [...document.querySelectorAll('div#toolbar-root')].find(d => d.shadowRoot);
            await fetch('/api/products?second=1');
            return host.shadowRoot.querySelector('[data-toolbar-new=""handle""]').textContent;
        }"));
        await Assertions.Expect(counter).ToHaveTextAsync("+2");

        // Errors reach the page as they are: a network failure and an abort reject with the browser's own errors.
        var closedPort = ClosedPort();
        var errors = await session.Page.EvaluateAsync<string[]>(@"async port => {
            const names = [];
            try { await fetch(`http://127.0.0.1:${port}/nothing`); names.push('resolved'); } catch (e) { names.push(e.name); }
            const abort = new AbortController(); abort.abort();
            try { await fetch('/api/products', { signal: abort.signal }); names.push('resolved'); } catch (e) { names.push(e.name); }
            return names;
        }", closedPort);
        Assert.Equal(["TypeError", "AbortError"], errors);

        // Streaming: /stream flushes five chunks 100 ms apart; the page reads the first long before the last.
        using var streamJson = await EvaluateJsonAsync(session.Page, @"async () => {
            const r = await fetch('/stream');
            const reader = r.body.getReader();
            const decoder = new TextDecoder();
            let text = '', firstAt = 0, reads = 0;
            for (;;) {
                const { done, value } = await reader.read();
                if (done) break;
                reads++;
                text += decoder.decode(value, { stream: true });
                if (!firstAt && text.includes('Chunk 1 of 5')) firstAt = performance.now();
            }
            return { reads, text, sinceFirst: performance.now() - firstAt };
        }");
        var stream = streamJson.RootElement;
        Assert.Contains("Chunk 5 of 5", stream.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.True(stream.GetProperty("reads").GetInt32() >= 2, $"reads: {stream.GetProperty("reads")}");
        Assert.True(stream.GetProperty("sinceFirst").GetDouble() >= 300, $"the first chunk came {stream.GetProperty("sinceFirst")} ms before the end");
        Assert.DoesNotContain(session.ConsoleErrors, e => !e.Contains("ERR_CONNECTION_REFUSED", StringComparison.Ordinal));
    }
}
