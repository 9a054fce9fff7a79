using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolbar.Tests.Infrastructure;
using static Toolbar.Tests.Panels.Context.ContextPanelTestHelpers;

namespace Toolbar.Tests.Panels.Context;

public class HostileValueTests
{
    // No spaces, so it is also a valid cookie value.
    private const string Payload = "<img/src=x/onerror=alert(1)>";

    private static async Task<(MiniApp App, string Id)> HostileRequestAsync()
    {
        var app = await MiniApp.StartAsync(async ctx =>
        {
            var form = await ctx.Request.ReadFormAsync();
            var logger = ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Hostile");
            logger.LogWarning("Search for {Term}", form["q"].ToString());
            try
            {
                throw new InvalidOperationException("Bad input " + form["q"]);
            }
            catch (InvalidOperationException)
            {
            }
        });
        using var message = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new FormUrlEncodedContent([new("q", Payload)]),
        };
        message.Headers.TryAddWithoutValidation("X-Hostile", Payload);
        message.Headers.TryAddWithoutValidation("Cookie", "hostile=" + Payload);
        var response = await app.Client.SendAsync(message);
        return (app, ToolbarId(response));
    }

    [Theory]
    [InlineData("request", 3)] // header, cookie and form field
    [InlineData("logs", 1)]
    [InlineData("exceptions", 1)]
    public async Task Hostile_values_are_encoded_in_panel_html(string panelId, int occurrences)
    {
        var (app, id) = await HostileRequestAsync();
        await using (app)
        {
            var html = await PanelHtmlAsync(app.Client, id, panelId);
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(occurrences, CountOf(html, "&lt;img/src=x/onerror=alert(1)&gt;"));
        }
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
