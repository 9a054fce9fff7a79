using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.History;

public class HistoryPanelTests
{
    // Every path answers 200 HTML, except /go which redirects to /target and /missing which is 404 JSON.
    private static Task<MiniApp> StartAsync(IPAddress? remote = null) => MiniApp.StartAsync(async ctx =>
    {
        switch (ctx.Request.Path.Value)
        {
            case "/go":
                ctx.Response.Redirect("/target");
                return;
            case "/missing":
                ctx.Response.StatusCode = 404;
                await ctx.Response.WriteAsJsonAsync(new { error = "none" });
                return;
            default:
                ctx.Response.ContentType = "text/html";
                await ctx.Response.WriteAsync("<html><body>page</body></html>");
                return;
        }
    }, remoteAddress: remote);

    private static async Task<string> SendAsync(MiniApp app, HttpMethod method, string path)
    {
        using var response = await app.Client.SendAsync(new HttpRequestMessage(method, path));
        return response.Headers.GetValues("X-Toolbar-Id").Single();
    }

    private static async Task<JsonElement[]> EntriesAsync(MiniApp app)
    {
        var json = await app.Client.GetFromJsonAsync<JsonElement>("/_toolbar/panels/history/entries");
        return [.. json.GetProperty("entries").EnumerateArray()];
    }

    [Fact]
    public async Task Entries_list_requests_newest_first_with_method_path_and_status()
    {
        await using var app = await StartAsync();
        var first = await SendAsync(app, HttpMethod.Get, "/one?x=1");
        var second = await SendAsync(app, HttpMethod.Post, "/missing");
        var third = await SendAsync(app, HttpMethod.Delete, "/three");

        var entries = await EntriesAsync(app);

        Assert.Equal([third, second, first], entries.Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(["DELETE", "POST", "GET"], entries.Select(e => e.GetProperty("method").GetString()));
        Assert.Equal(["/three", "/missing", "/one"], entries.Select(e => e.GetProperty("path").GetString()));
        Assert.Equal("?x=1", entries[2].GetProperty("queryString").GetString());
        Assert.Equal([200, 404, 200], entries.Select(e => e.GetProperty("statusCode").GetInt32()));
    }

    [Fact]
    public async Task Redirect_stays_listed_with_its_target()
    {
        await using var app = await StartAsync();
        var redirect = await SendAsync(app, HttpMethod.Get, "/go");

        var entry = Assert.Single(await EntriesAsync(app));

        Assert.Equal(redirect, entry.GetProperty("id").GetString());
        Assert.Equal(302, entry.GetProperty("statusCode").GetInt32());
        Assert.Equal("→ /target", entry.GetProperty("badges").GetProperty("history").GetString());
    }

    [Fact]
    public async Task Entries_carry_other_panels_subtitles_as_badges()
    {
        await using var app = await StartAsync();
        await SendAsync(app, HttpMethod.Put, "/missing");

        var entry = Assert.Single(await EntriesAsync(app));

        Assert.Equal("PUT 404", entry.GetProperty("badges").GetProperty("request").GetString());
    }

    [Fact]
    public async Task Clear_empties_the_history()
    {
        await using var app = await StartAsync();
        await SendAsync(app, HttpMethod.Get, "/a");
        using var clear = new HttpRequestMessage(HttpMethod.Post, "/_toolbar/api/requests/clear");
        clear.Headers.Add("X-Toolbar-Request", "1");

        using var response = await app.Client.SendAsync(clear);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await EntriesAsync(app));
    }

    [Fact]
    public async Task Panel_html_has_filters_and_the_list_urls()
    {
        await using var app = await StartAsync();
        var id = await SendAsync(app, HttpMethod.Get, "/page");

        var html = await app.Client.GetStringAsync($"/_toolbar/requests/{id}/panels/history");

        Assert.Contains("data-history-entries=\"/_toolbar/panels/history/entries\"", html, StringComparison.Ordinal);
        Assert.Contains("data-history-page-url=\"/_toolbar/requests/\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-history-current=\"{id}\"", html, StringComparison.Ordinal);
        Assert.Contains("data-history-filter=\"path\"", html, StringComparison.Ordinal);
        Assert.Contains("data-history-filter=\"method\"", html, StringComparison.Ordinal);
        Assert.Contains("data-history-filter=\"status\"", html, StringComparison.Ordinal);
        Assert.Contains("data-history-clear", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Redirect_panel_names_the_redirect_target()
    {
        await using var app = await StartAsync();
        var id = await SendAsync(app, HttpMethod.Get, "/go");

        var html = await app.Client.GetStringAsync($"/_toolbar/requests/{id}/panels/history");

        Assert.Contains("redirected to <span class=\"tb-mono\">/target</span>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sec-Fetch-Dest", "empty", true)] // fetch() and XMLHttpRequest
    [InlineData("X-Requested-With", "XMLHttpRequest", true)] // script libraries that label their calls
    [InlineData("Sec-Fetch-Dest", "script", false)] // a <script src> of the page (sent with Sec-Fetch-Mode: no-cors)
    [InlineData("Sec-Fetch-Dest", "document", false)] // a navigation
    public async Task Entries_mark_only_fetch_and_xhr_calls_as_script(string header, string value, bool isScript)
    {
        await using var app = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/a");
        request.Headers.Add(header, value);
        request.Headers.Add("Sec-Fetch-Mode", header == "Sec-Fetch-Dest" && value == "script" ? "no-cors" : "cors");
        (await app.Client.SendAsync(request)).Dispose();

        var entry = Assert.Single(await EntriesAsync(app));

        Assert.Equal(isScript, entry.GetProperty("isAjax").GetBoolean());
    }

    [Fact]
    public async Task Entries_are_not_found_for_a_remote_client()
    {
        await using var app = await StartAsync(IPAddress.Parse("203.0.113.9"));

        using var response = await app.Client.GetAsync("/_toolbar/panels/history/entries");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
