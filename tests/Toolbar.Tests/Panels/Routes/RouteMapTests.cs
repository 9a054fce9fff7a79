using System.Net;
using System.Text.Json;

namespace Toolbar.Tests.Panels.Routes;

public class RouteMapTests(RoutesTestApp app) : IClassFixture<RoutesTestApp>
{
    private async Task<JsonElement> RoutesOfAsync(string method, string path)
    {
        using var response = await app.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        return (await app.GetRecordAsync(id)).GetProperty("panels").GetProperty("routes");
    }

    [Fact]
    public async Task Map_lists_every_minimal_api_and_controller_endpoint_with_methods()
    {
        var routes = await RoutesOfAsync("GET", "/products");
        var listed = routes.GetProperty("endpoints").EnumerateArray()
            .Where(e => !e.GetProperty("isToolbar").GetBoolean())
            .Select(e => (e.GetProperty("pattern").GetString()!, string.Join(",", e.GetProperty("httpMethods").EnumerateArray().Select(m => m.GetString()))))
            .Order()
            .ToArray();
        Assert.Equal(RoutesTestApp.ExpectedMap.Order().ToArray(), listed);
    }

    [Fact]
    public async Task Map_describes_handlers_names_constraints_and_hosts()
    {
        var endpoints = (await RoutesOfAsync("GET", "/products")).GetProperty("endpoints").EnumerateArray().ToArray();
        var widget = endpoints.Single(e => e.GetProperty("endpointName").GetString() == "widgets-get");
        Assert.Equal("controller", widget.GetProperty("kind").GetString());
        Assert.Equal("Toolbar.Tests.Panels.Routes.WidgetsController.Get", widget.GetProperty("handler").GetString());
        Assert.Equal(["id:int"], widget.GetProperty("constraints").EnumerateArray().Select(c => c.GetString()!).ToArray());
        var orders = endpoints.Single(e => e.GetProperty("endpointName").GetString() == "orders");
        Assert.Equal("minimal", orders.GetProperty("kind").GetString());
        Assert.Equal("/orders", orders.GetProperty("group").GetString());
        Assert.Equal(["year:int", "year:range(2000,2100)", "month:int"], orders.GetProperty("constraints").EnumerateArray().Select(c => c.GetString()!).ToArray());
        var tenant = endpoints.Single(e => e.GetProperty("endpointName").GetString() == "tenant-host");
        Assert.Equal(["tenant.example.com"], tenant.GetProperty("hosts").EnumerateArray().Select(c => c.GetString()!).ToArray());
    }

    [Fact]
    public async Task Toolbar_endpoints_are_marked_as_the_toolbars_own()
    {
        var endpoints = (await RoutesOfAsync("GET", "/products")).GetProperty("endpoints").EnumerateArray().ToArray();
        var own = endpoints.Where(e => e.GetProperty("isToolbar").GetBoolean()).Select(e => e.GetProperty("pattern").GetString()!).ToArray();
        Assert.Contains("/_toolbar/panels/routes/match", own);
        Assert.All(own, p => Assert.StartsWith("/_toolbar/", p, StringComparison.Ordinal));
        Assert.DoesNotContain(endpoints, e => !e.GetProperty("isToolbar").GetBoolean() && e.GetProperty("pattern").GetString()!.StartsWith("/_toolbar", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Route_map_is_one_shared_list_for_all_records()
    {
        var first = await app.Client.GetAsync("/products");
        var second = await app.Client.GetAsync("/docs/intro");
        var store = (IToolbarStore)app.App.Services.GetService(typeof(IToolbarStore))!;
        var a = (await store.GetAsync(first.Headers.GetValues("X-Toolbar-Id").Single()))!.GetPanelData<Toolbar.Panels.Routes.RoutesData>("routes")!;
        var b = (await store.GetAsync(second.Headers.GetValues("X-Toolbar-Id").Single()))!.GetPanelData<Toolbar.Panels.Routes.RoutesData>("routes")!;
        Assert.Same(a.Endpoints, b.Endpoints);
    }

    [Fact]
    public async Task Matched_endpoint_and_route_values_are_recorded()
    {
        var routes = await RoutesOfAsync("GET", "/orders/2024/5");
        var matched = routes.GetProperty("matched");
        Assert.Equal("/orders/{year:int:range(2000,2100)}/{month:int?}", matched.GetProperty("pattern").GetString());
        Assert.Equal(["GET"], matched.GetProperty("httpMethods").EnumerateArray().Select(m => m.GetString()!).ToArray());
        Assert.Equal("2024", matched.GetProperty("routeValues").GetProperty("year").GetString());
        Assert.Equal("5", matched.GetProperty("routeValues").GetProperty("month").GetString());
    }

    [Fact]
    public async Task Method_mismatch_request_records_the_allowed_methods()
    {
        var routes = await RoutesOfAsync("PATCH", "/products/5");
        Assert.Equal(JsonValueKind.Null, routes.GetProperty("matched").ValueKind);
        Assert.Equal(405, routes.GetProperty("statusCode").GetInt32());
        Assert.Equal(["DELETE", "GET", "PUT"], routes.GetProperty("allowedMethods").EnumerateArray().Select(m => m.GetString()!).Order().ToArray());
        Assert.Equal("405 HTTP Method Not Supported", routes.GetProperty("systemEndpoint").GetString());
    }

    [Fact]
    public async Task Tester_reports_allowed_methods_for_a_method_mismatch()
    {
        var answer = await app.TestAsync("PATCH", "/products/5");
        Assert.Equal(405, answer.GetProperty("statusCode").GetInt32());
        Assert.Equal(["DELETE", "GET", "PUT"], answer.GetProperty("allowedMethods").EnumerateArray().Select(m => m.GetString()!).Order().ToArray());
        Assert.Equal(["DELETE /products/{id:int:min(1)}", "GET /products/{id:int}", "PUT /products/{id:int}"],
            answer.GetProperty("otherMethods").EnumerateArray().Select(o => o.GetProperty("method").GetString() + " " + o.GetProperty("pattern").GetString()).ToArray());
    }

    [Fact]
    public async Task Tester_reports_an_ambiguous_match_with_both_endpoints()
    {
        var answer = await app.TestAsync("GET", "/clash/x");
        Assert.True(answer.GetProperty("ambiguous").GetBoolean());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("matched").ValueKind);
        Assert.Equal(["/clash/{a}", "/clash/{b}"], answer.GetProperty("ambiguousMatches").EnumerateArray().Select(m => m.GetProperty("pattern").GetString()!).Order().ToArray());
    }

    [Fact]
    public async Task Tester_returns_route_values_of_the_match()
    {
        var answer = await app.TestAsync("GET", "/files/a/b/c.txt");
        Assert.Equal("a/b/c.txt", answer.GetProperty("matched").GetProperty("routeValues").GetProperty("path").GetString());
    }

    [Fact]
    public async Task Tester_names_the_constraint_that_rejected_a_near_miss()
    {
        var answer = await app.TestAsync("GET", "/search/ab");
        Assert.Equal(404, answer.GetProperty("statusCode").GetInt32());
        var nearest = answer.GetProperty("nearest")[0];
        Assert.Equal("/search/{term:minlength(3)}", nearest.GetProperty("pattern").GetString());
        Assert.Equal("constraint 'term:minlength(3)' rejected 'ab'", nearest.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("products/7")]
    [InlineData("")]
    public async Task Tester_rejects_a_path_without_leading_slash(string path)
    {
        var response = await app.Client.GetAsync("/_toolbar/panels/routes/match?method=GET&path=" + Uri.EscapeDataString(path));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.Equal("The path must start with '/'.", error);
    }

    [Fact]
    public async Task Tester_rejects_a_path_over_sixteen_kilobytes()
    {
        var response = await app.Client.GetAsync("/_toolbar/panels/routes/match?method=GET&path=/" + new string('a', 16 * 1024));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Tester_rejects_a_method_that_is_not_a_token()
    {
        var response = await app.Client.GetAsync("/_toolbar/panels/routes/match?method=" + Uri.EscapeDataString("GET /x") + "&path=/products");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
