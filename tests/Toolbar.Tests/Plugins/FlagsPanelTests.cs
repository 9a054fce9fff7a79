using System.Net;
using System.Text.Json;
using Toolbar.Testing;
using Toolbar.Tests.Infrastructure;
using ToolbarFlags;

namespace Toolbar.Tests.Plugins;

/// <summary>The sample plugin (samples/FlagsPanel) through HTTP, as its author would test it.</summary>
public sealed class FlagsPanelTests : IDisposable
{
    private const string Banner = "<p class=\"flag-banner\">New product list is ON</p>";
    private const string Toggle = "/_toolbar/panels/flags/toggle";
    private readonly SampleAppFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static async Task<ToggleResult?> ToggleAsync(HttpClient client, string name)
    {
        using var response = await client.PostToolbarAsync(Toggle, new { name });
        response.EnsureSuccessStatusCode();
        return JsonSerializer.Deserialize<ToggleResult>(await response.Content.ReadAsStringAsync(), new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }

    [Fact]
    public async Task Lists_configured_flags_with_the_values_the_request_saw()
    {
        var client = _factory.CreateClient();
        using var response = await client.GetAsync("/products");

        var data = await client.GetPanelDataAsync<FlagsData>(response, "flags");

        Assert.NotNull(data);
        Assert.Collection(data.Flags,
            f => Assert.Equal(("NewProductList", true, false, (bool?)null, false, (bool?)false, 1), (f.Name, f.InConfiguration, f.Configured, f.Override, f.Value, f.Seen, f.Reads)),
            f => Assert.Equal(("ShowPrices", true, true, (bool?)null, true, (bool?)true, 1), (f.Name, f.InConfiguration, f.Configured, f.Override, f.Value, f.Seen, f.Reads)));
    }

    [Fact]
    public async Task Flags_not_read_by_the_request_are_listed_as_not_seen()
    {
        var client = _factory.CreateClient();
        using var response = await client.GetAsync("/");

        var data = await client.GetPanelDataAsync<FlagsData>(response, "flags");

        Assert.Equal([("NewProductList", (bool?)null, 0), ("ShowPrices", (bool?)null, 0)], data!.Flags.Select(f => (f.Name, f.Seen, f.Reads)));
    }

    [Fact]
    public async Task Toggle_turns_a_flag_on_for_the_next_request_of_this_browser()
    {
        var client = _factory.CreateClient();
        using var before = await client.GetAsync("/products");
        Assert.DoesNotContain(Banner, await before.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var result = await ToggleAsync(client, "NewProductList");
        using var after = await client.GetAsync("/products");
        var data = await client.GetPanelDataAsync<FlagsData>(after, "flags");

        Assert.Equal(new ToggleResult("NewProductList", true, true), result);
        Assert.Contains(Banner, await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var flag = data!.Flags.Single(f => f.Name == "NewProductList");
        Assert.Equal((false, (bool?)true, true, (bool?)true), (flag.Configured, flag.Override, flag.Value, flag.Seen));
    }

    [Fact]
    public async Task Toggle_affects_only_the_browser_that_toggled()
    {
        var toggler = _factory.CreateClient();
        var other = _factory.CreateClient();
        await ToggleAsync(toggler, "NewProductList");

        using var page = await other.GetAsync("/products");

        Assert.DoesNotContain(Banner, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turning_prices_off_hides_the_price_column()
    {
        var client = _factory.CreateClient();
        var result = await ToggleAsync(client, "ShowPrices");

        using var page = await client.GetAsync("/products");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(new ToggleResult("ShowPrices", false, true), result);
        Assert.DoesNotContain("<th>Price</th>", html, StringComparison.Ordinal);
        Assert.Contains("<th>Category</th></tr>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Toggling_twice_returns_to_the_configured_value_without_an_override()
    {
        var client = _factory.CreateClient();
        await ToggleAsync(client, "NewProductList");
        var second = await ToggleAsync(client, "NewProductList");

        using var page = await client.GetAsync("/products");
        var data = await client.GetPanelDataAsync<FlagsData>(page, "flags");

        Assert.Equal(new ToggleResult("NewProductList", false, false), second);
        Assert.All(data!.Flags, f => Assert.Null(f.Override));
        Assert.DoesNotContain(Banner, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_clears_every_override()
    {
        var client = _factory.CreateClient();
        await ToggleAsync(client, "NewProductList");
        await ToggleAsync(client, "ShowPrices");

        using var reset = await client.PostToolbarAsync("/_toolbar/panels/flags/reset");
        using var page = await client.GetAsync("/products");
        var data = await client.GetPanelDataAsync<FlagsData>(page, "flags");

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal([false, true], data!.Flags.Select(f => f.Value));
    }

    [Fact]
    public async Task Toggle_without_the_toolbar_header_is_rejected()
    {
        var client = _factory.CreateClient();

        using var response = await client.PostAsync(Toggle, new StringContent("{\"name\":\"NewProductList\"}", System.Text.Encoding.UTF8, "application/json"));
        using var page = await client.GetAsync("/products");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(Banner, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Toggle_of_an_unknown_flag_is_404()
    {
        var client = _factory.CreateClient();

        using var response = await client.PostToolbarAsync(Toggle, new { name = "NoSuchFlag" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Override_cookie_is_ignored_for_clients_the_toolbar_does_not_allow()
    {
        _factory.RemoteAddress = IPAddress.Parse("203.0.113.9");
        var client = _factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/products");
        request.Headers.Add("Cookie", "toolbar-flags=NewProductList%3D1");

        using var page = await client.SendAsync(request);
        using var toggle = await client.PostToolbarAsync(Toggle, new { name = "NewProductList" });

        Assert.DoesNotContain(Banner, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(page.Headers.Contains("X-Toolbar-Id"));
        Assert.Equal(HttpStatusCode.NotFound, toggle.StatusCode);
    }

    [Fact]
    public async Task Switched_off_panel_leaves_flags_at_their_configured_values()
    {
        _factory.Settings["Toolbar:DisabledPanels:0"] = "flags";
        var client = _factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/products");
        request.Headers.Add("Cookie", "toolbar-flags=NewProductList%3D1");

        using var page = await client.SendAsync(request);
        var record = await client.GetToolbarRecordAsync(page);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain(Banner, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(record.GetProperty("panels").TryGetProperty("flags", out _));
    }

    [Fact]
    public async Task Panel_html_has_a_toggle_per_flag_and_its_assets_are_served()
    {
        var client = _factory.CreateClient();
        using var page = await client.GetAsync("/products");

        var html = await client.GetPanelHtmlAsync(page, "flags");
        using var script = await client.GetAsync("/_toolbar/panels/flags/assets/flags.js");
        using var style = await client.GetAsync("/_toolbar/panels/flags/assets/flags.css");

        Assert.Contains("data-flags-toggle-url=\"/_toolbar/panels/flags/toggle\"", html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"button\" class=\"tb-button flags-toggle\" data-flag-name=\"NewProductList\">Turn on</button>", html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"button\" class=\"tb-button flags-toggle\" data-flag-name=\"ShowPrices\">Turn off</button>", html, StringComparison.Ordinal);
        Assert.Equal("text/javascript; charset=utf-8", script.Content.Headers.ContentType?.ToString());
        Assert.Contains("toolbar.register('flags'", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/css; charset=utf-8", style.Content.Headers.ContentType?.ToString());
    }
}
