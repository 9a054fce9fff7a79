using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

/// <summary>
/// Attacker-controlled strings sent through every channel the panels show (path, route values, query,
/// headers, cookies, SQL text and parameters, log messages, exception messages, span names, config values),
/// then every panel is opened in Chromium: no dialog, no console error, and the toolbar keeps working.
/// </summary>
[Collection(BrowserCollection.Name)]
public class HostileCorpusTests(BrowserFixture browser)
{
    private static readonly string[] Payloads =
    [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(2)>",
        "'><svg onload=alert(3)>",
        "</script><script>alert(4)</script>",
        "javascript:alert(5)",
        "${alert(6)}`${alert(7)}`",
        "{\"a\":\"</script>\",\"b\":\"\\u2028\"}]}",
        "<iframe src=\"javascript:alert(8)\"></iframe>",
        new string('A', 3000) + "<b onmouseover=alert(9)>",
        "\u0001\u0007\u001b[31m control \u007f",
        "\u202Egnp.exe\u202C bidi \u200F",
        "<!--<img src=--><img src=x onerror=alert(10)//-->",
    ];

    private static async Task Handle(HttpContext context, ILogger<HostileCorpusTests> logger)
    {
        var payload = context.Request.Query["p"].ToString();
        using (Profiler.Step("step " + payload))
        {
            logger.LogWarning("log {Payload}", payload);
            try
            {
                throw new InvalidOperationException("exception " + payload);
            }
            catch (InvalidOperationException)
            {
                // Handled on purpose: the exceptions panel lists it.
            }

            await using var connection = new ProfiledDbConnection(new SqliteConnection("Data Source=:memory:"));
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT @p AS v -- " + payload.ReplaceLineEndings(" ");
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p";
            parameter.Value = payload;
            command.Parameters.Add(parameter);
            await command.ExecuteScalarAsync();
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync("<!DOCTYPE html><html><head><title>hostile</title></head><body><p id=\"page\">page ok</p></body></html>");
    }

    [Fact]
    public async Task Hostile_strings_in_every_channel_run_no_script_and_break_no_panel()
    {
        await using var app = await KestrelApp.StartAsync(
            a => a.MapGet("/hostile/{**rest}", Handle),
            b => b.Configuration.AddInMemoryCollection(Payloads.Select((p, i) => new KeyValuePair<string, string?>($"Hostile:Value{i}", p))));

        var urls = Payloads.Select(p => $"/hostile/{Uri.EscapeDataString(p[..Math.Min(p.Length, 200)])}?p={Uri.EscapeDataString(p)}")
            .Append("/hostile/%FF%FE%3Cb%3E?p=%FF%FE%3Cscript%3Ealert(11)%3C/script%3E") // invalid UTF-8
            .ToList();
        for (var i = 0; i < urls.Count; i++)
        {
            await using var session = await app.NewPageAsync(browser);
            var header = i < Payloads.Length ? new string(Payloads[i].Where(c => c is >= ' ' and <= '~').Take(500).ToArray()) : "x";
            await session.Page.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["X-Hostile"] = header });
            await session.Page.Context.AddCookiesAsync([new Cookie { Name = "hostile", Value = Uri.EscapeDataString(header), Url = app.BaseUrl }]);
            await session.GotoAsync(urls[i]);
            await Assertions.Expect(session.Page.Locator("#page")).ToHaveTextAsync("page ok");
            await Assertions.Expect(session.Page.Locator(".tb-handle-status")).ToHaveTextAsync("200");
            await session.Page.Locator("[data-toolbar-handle]").ClickAsync();
            var ids = await session.Page.Locator("button[data-panel]").EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.dataset.panel)");
            Assert.True(ids.Length >= 9, $"only {ids.Length} panels");
            foreach (var id in ids)
            {
                var content = await session.OpenPanelAsync(id);
                Assert.DoesNotContain("failed to render", await content.InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
            }

            // The payload is on screen as text in the panels that show it, never as markup.
            if (i == 0)
            {
                var sql = await session.OpenPanelAsync("sql");
                await Assertions.Expect(sql).ToContainTextAsync("<script>alert(1)</script>");
                var timing = await session.OpenPanelAsync("timing");
                await Assertions.Expect(timing).ToContainTextAsync("step <script>alert(1)</script>");
            }

            Assert.Empty(session.Dialogs);
            Assert.Empty(session.ConsoleErrors);
            Assert.Equal(0, await session.Page.Locator("img[src=x], iframe, svg[onload]").CountAsync());
        }
    }
}
