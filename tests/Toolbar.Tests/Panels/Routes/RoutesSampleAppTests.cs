using System.Net;
using System.Text.Json;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Routes;

/// <summary>The routes panel on the sample app (Razor Pages, minimal APIs).</summary>
public sealed class RoutesSampleAppTests : IClassFixture<SampleAppFactory>
{
    private readonly SampleAppFactory _factory;
    private readonly HttpClient _client;

    public RoutesSampleAppTests(SampleAppFactory factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    private async Task<(string Id, JsonElement Routes)> RequestAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var record = await _factory.GetRecordAsync(_client, id);
        return (id, record.GetProperty("panels").GetProperty("routes"));
    }

    private async Task<string> SubtitleAsync(string id)
    {
        var nav = JsonDocument.Parse(await _client.GetStringAsync($"/_toolbar/api/requests/{id}/toolbar")).RootElement;
        return nav.GetProperty("panels").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "routes").GetProperty("subtitle").GetString()!;
    }

    [Fact]
    public async Task Product_details_matches_the_razor_page_with_its_route_values()
    {
        var (_, routes) = await RequestAsync("/products/3");
        var matched = routes.GetProperty("matched");
        Assert.Equal("/products/{id:int}", matched.GetProperty("pattern").GetString());
        Assert.Equal("/ProductDetails", matched.GetProperty("displayName").GetString());
        Assert.Empty(matched.GetProperty("httpMethods").EnumerateArray());
        var values = matched.GetProperty("routeValues").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(new Dictionary<string, string?> { ["page"] = "/ProductDetails", ["id"] = "3" }, values);
    }

    [Fact]
    public async Task Nav_subtitle_is_the_matched_pattern()
    {
        var (id, _) = await RequestAsync("/products/3");
        Assert.Equal("/products/{id:int}", await SubtitleAsync(id));
    }

    [Fact]
    public async Task Map_lists_razor_pages_and_minimal_apis_of_the_sample()
    {
        var (_, routes) = await RequestAsync("/products/3");
        var endpoints = routes.GetProperty("endpoints").EnumerateArray().ToArray();
        var page = endpoints.Single(e => e.GetProperty("pattern").GetString() == "/products/{id:int}");
        Assert.Equal("page", page.GetProperty("kind").GetString());
        Assert.Equal("/Pages/ProductDetails.cshtml", page.GetProperty("handler").GetString());
        Assert.Contains(endpoints, e => e.GetProperty("pattern").GetString() == "/products" && e.GetProperty("kind").GetString() == "page");
        var api = endpoints.Single(e => e.GetProperty("pattern").GetString() == "/api/products");
        Assert.Equal("minimal", api.GetProperty("kind").GetString());
        Assert.Equal(["GET"], api.GetProperty("httpMethods").EnumerateArray().Select(m => m.GetString()!).ToArray());
    }

    [Fact]
    public async Task Unknown_path_has_no_match_and_nearest_routes()
    {
        var (id, routes) = await RequestAsync("/nope");
        Assert.Equal(JsonValueKind.Null, routes.GetProperty("matched").ValueKind);
        Assert.Equal(404, routes.GetProperty("statusCode").GetInt32());
        var nearest = routes.GetProperty("nearest").EnumerateArray().Select(n => n.GetProperty("pattern").GetString()!).ToArray();
        Assert.NotEmpty(nearest);
        Assert.All(nearest, p => Assert.DoesNotContain("_toolbar", p, StringComparison.Ordinal));
        Assert.Equal("no match", await SubtitleAsync(id));
    }

    [Fact]
    public async Task Misspelt_path_lists_the_intended_route_first()
    {
        var (_, routes) = await RequestAsync("/produts/3");
        Assert.Equal("/products/{id:int}", routes.GetProperty("nearest")[0].GetProperty("pattern").GetString());
    }

    [Fact]
    public async Task Rejected_constraint_is_named_for_the_near_miss()
    {
        var (_, routes) = await RequestAsync("/products/abc");
        var first = routes.GetProperty("nearest")[0];
        Assert.Equal("/products/{id:int}", first.GetProperty("pattern").GetString());
        Assert.Equal("constraint 'id:int' rejected 'abc'", first.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Panel_html_shows_pattern_route_values_and_the_tester_form()
    {
        var (id, _) = await RequestAsync("/products/3");
        var html = await _client.GetStringAsync($"/_toolbar/requests/{id}/panels/routes");
        Assert.False(html.Contains("tb-error", StringComparison.Ordinal), html[..Math.Min(600, html.Length)]);
        Assert.Contains("<div class=\"tb-stat-value tb-mono\" data-routes-matched>/products/{id:int}</div>", html, StringComparison.Ordinal);
        Assert.Contains("data-routes-url=\"/_toolbar/panels/routes/match\"", html, StringComparison.Ordinal);
        Assert.Contains("data-tb-filter=\"#tb-routes-map\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"tb-routes-own\" hidden", html, StringComparison.Ordinal);
        Assert.DoesNotContain("tb-error", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_path_is_shown_as_text_in_the_panel()
    {
        var (id, routes) = await RequestAsync("/%3Cscript%3Ealert(1)%3C/script%3E");
        Assert.Equal("/<script>alert(1)</script>", routes.GetProperty("path").GetString());
        var html = await _client.GetStringAsync($"/_toolbar/requests/{id}/panels/routes");
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("tb-error", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encoded_slash_path_is_shown_as_sent()
    {
        var (id, routes) = await RequestAsync("/products/a%2Fb");
        Assert.Equal("/products/a%2Fb", routes.GetProperty("path").GetString());
        var html = await _client.GetStringAsync($"/_toolbar/requests/{id}/panels/routes");
        Assert.Contains("/products/a%2Fb", html, StringComparison.Ordinal);
        Assert.DoesNotContain("tb-error", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eight_kilobyte_path_renders_without_error()
    {
        var path = "/" + string.Concat(Enumerable.Repeat("segment/", 1024));
        var (id, routes) = await RequestAsync(path);
        Assert.Equal(JsonValueKind.Null, routes.GetProperty("matched").ValueKind);
        var response = await _client.GetAsync($"/_toolbar/requests/{id}/panels/routes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("tb-error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tester_answers_hostile_paths_as_data()
    {
        foreach (var path in new[] { "/<script>alert(1)</script>", "/products/a%2Fb", "/" + new string('x', 8 * 1024) })
        {
            var response = await _client.GetAsync("/_toolbar/panels/routes/match?method=GET&path=" + Uri.EscapeDataString(path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
            var answer = JsonDocument.Parse(body).RootElement;
            Assert.Equal(path, answer.GetProperty("path").GetString());
            Assert.Equal(JsonValueKind.Null, answer.GetProperty("matched").ValueKind);
            Assert.Equal(404, answer.GetProperty("statusCode").GetInt32());
        }
    }

    [Fact]
    public async Task Tester_matches_product_seven_to_the_details_page()
    {
        var answer = JsonDocument.Parse(await _client.GetStringAsync("/_toolbar/panels/routes/match?method=GET&path=/products/7")).RootElement;
        var matched = answer.GetProperty("matched");
        Assert.Equal("/products/{id:int}", matched.GetProperty("pattern").GetString());
        Assert.Equal("7", matched.GetProperty("routeValues").GetProperty("id").GetString());
    }
}
