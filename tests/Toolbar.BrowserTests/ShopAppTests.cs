using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Toolbar.BrowserTests.Infrastructure;

namespace Toolbar.BrowserTests;

/// <summary>The toolbar on the second sample, an app shaped like a real one (issue: real apps).</summary>
[Collection(BrowserCollection.Name)]
public class ShopAppTests(BrowserFixture browser, ShopServer shop) : IClassFixture<ShopServer>
{
    private ShopServer Shop => shop;

    private static string SourceFile(params string[] parts) => Path.Combine([PageSession.RepoRoot(), "samples", "ShopApp", .. parts]);

    /// <summary>The 1-based line of the first line of a source file that contains the text (the independent truth for file:line).</summary>
    private static int LineOf(string file, string text)
    {
        var lines = File.ReadAllLines(file);
        var index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{text}' is not in {file}");
        return index + 1;
    }

    /// <summary>No console error but the browser's own note that the page itself answered with the expected error status.</summary>
    private static void AssertNoConsoleErrorsBut(PageSession session, int status) =>
        Assert.DoesNotContain(session.ConsoleErrors, e => !e.StartsWith($"Failed to load resource: the server responded with a status of {status}", StringComparison.Ordinal));

    private async Task<JsonElement[]> StoredAsync(PageSession session)
    {
        var list = await session.Page.APIRequest.GetAsync(session.BaseUrl + "/_toolbar/api/requests");
        return [.. JsonDocument.Parse(await list.TextAsync()).RootElement.EnumerateArray()];
    }

    [Fact]
    public async Task Static_heavy_page_keeps_its_own_record_and_its_fetch_while_its_files_are_not_stored()
    {
        await using var session = await Shop.NewPageAsync(browser);
        var assetsServed = 0;
        session.Page.Response += (_, response) =>
        {
            if (response.Request.ResourceType is "stylesheet" or "script" or "image" && response.Url.StartsWith(session.BaseUrl, StringComparison.Ordinal)
                && !response.Url.Contains("/_toolbar/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref assetsServed);
            }
        };

        await session.GotoAsync("/gallery");
        await Assertions.Expect(session.Page.Locator("#gallery-api")).ToContainTextAsync("12 products from the API");
        // More files than the store keeps records: stored, they would have pushed the page out.
        Assert.True(assetsServed > ShopServer.MaxRequests, $"{assetsServed} assets served");
        Assert.True(assetsServed >= 16 + 17 + 24, $"{assetsServed} assets served");

        var stored = await StoredAsync(session);
        var paths = stored.Select(r => r.GetProperty("path").GetString()!).ToList();
        Assert.Contains("/gallery", paths);
        Assert.Contains("/api/products", paths);
        Assert.DoesNotContain(paths, p => Regex.IsMatch(p, @"\.(css|js|svg)$"));

        // The toolbar of the page shows the page's own record.
        await Assertions.Expect(session.Page.Locator(".tb-handle-status")).ToHaveTextAsync("200");
        var request = await session.OpenPanelAsync("request");
        await Assertions.Expect(request).ToContainTextAsync("/gallery");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task Blazor_WebAssembly_admin_keeps_its_page_record_while_its_framework_files_are_not_stored()
    {
        await using var session = await Shop.NewPageAsync(browser);
        var frameworkFiles = 0;
        session.Page.Response += (_, response) =>
        {
            if (response.Url.StartsWith(session.BaseUrl + "/admin/_framework/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref frameworkFiles);
            }
        };

        // The WebAssembly app boots in the browser (runtime, assemblies) and then fetches the shop's API.
        await session.GotoAsync("/admin/stock");
        await Assertions.Expect(session.Page.Locator("#stock caption")).ToContainTextAsync("12 products", new() { Timeout = 60_000 });
        // More framework files than the store keeps records: stored, they would have pushed the page out.
        Assert.True(frameworkFiles > ShopServer.MaxRequests, $"{frameworkFiles} framework files served");

        var stored = await StoredAsync(session);
        var paths = stored.Select(r => r.GetProperty("path").GetString()!).ToList();
        Assert.Contains("/admin/stock", paths);
        Assert.Contains("/api/products", paths);
        Assert.DoesNotContain(paths, p => p.Contains("/_framework/", StringComparison.Ordinal));

        // The page's toolbar shows the page's own record (the SPA fallback answered it), not a framework file.
        await Assertions.Expect(session.Page.Locator(".tb-handle-status")).ToHaveTextAsync("200");
        var request = await session.OpenPanelAsync("request");
        await Assertions.Expect(request).ToContainTextAsync("/admin/stock");
        var routes = await session.OpenPanelAsync("routes");
        await Assertions.Expect(routes).ToContainTextAsync("admin/{*path:nonfile}");
        await session.ScreenshotAsync("shop-blazor-webassembly-admin");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task App_frames_of_an_app_in_Microsoft_namespaces_carry_file_and_line_and_link_to_the_editor()
    {
        await using var session = await Shop.NewPageAsync(browser);
        await session.GotoAsync("/products");
        var repository = SourceFile("ShopApp.Data", "ProductRepository.cs");
        var controller = SourceFile("ShopApp.Web", "Controllers", "ProductsController.cs");

        // SQL call site: the Data project's repository, not EF Core (whose namespace also starts with Microsoft.).
        var sql = await session.OpenPanelAsync("sql");
        var caller = sql.Locator(".tb-sql-caller").First;
        await Assertions.Expect(caller).ToContainTextAsync("Microsoft.Contoso.Shop.Data.ProductRepository.ListAsync");
        var sqlLink = caller.Locator("a.tb-code-link");
        await Assertions.Expect(sqlLink).ToHaveAttributeAsync("href", $"vscode://file/{repository}:{LineOf(repository, "db.Products.OrderBy")}:9");

        // Timing step: where Profiler.Step was called.
        var timing = await session.OpenPanelAsync("timing");
        var step = timing.Locator("[data-tb-row]", new() { HasText = "load products" });
        await Assertions.Expect(step.Locator("a.tb-code-link")).ToHaveAttributeAsync(
            "href", new Regex("^" + Regex.Escape($"vscode://file/{controller}:{LineOf(controller, "Profiler.Step(\"load products\")")}:")));

        // Log call site: the controller's LogWarning.
        var logs = await session.OpenPanelAsync("logs");
        var row = logs.Locator("tr[data-tb-row]", new() { HasText = "Showing 12 products" });
        await Assertions.Expect(row.Locator("[data-app-frame]")).ToContainTextAsync("Microsoft.Contoso.Shop.Web.Controllers.ProductsController.Index");
        await Assertions.Expect(row.Locator("a.tb-code-link")).ToHaveAttributeAsync(
            "href", new Regex("^" + Regex.Escape($"vscode://file/{controller}:{LineOf(controller, "logger.LogWarning(")}:")));
        await session.ScreenshotAsync("shop-logs-call-sites");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task Products_view_renders_a_razor_component_per_product_and_counts_its_tag_helpers_in_one_row()
    {
        await using var session = await Shop.NewPageAsync(browser);
        await session.GotoAsync("/products");

        // Independent truth: the price tags the browser shows, one per product, each written by a <component> tag helper.
        var tags = await session.Page.Locator("[data-component=\"PriceTag\"]").CountAsync();
        Assert.Equal(12, tags);

        var views = await session.OpenPanelAsync("views");
        await Assertions.Expect(views.Locator("[data-view][data-kind=\"component\"]", new() { HasText = "PriceTag" })).ToHaveCountAsync(tags);
        var tagHelper = views.Locator("[data-view][data-kind=\"tagHelper\"]", new() { HasText = "ComponentTagHelper" });
        await Assertions.Expect(tagHelper).ToHaveCountAsync(1);
        await Assertions.Expect(tagHelper.Locator("[data-view-count]")).ToHaveTextAsync($"×{tags}");
        await session.ScreenshotAsync("shop-views-components");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task Exception_the_app_caught_before_answering_500_is_marked_as_failing_the_request()
    {
        await using var session = await Shop.NewPageAsync(browser);
        // The controller catches the domain error and answers 500; status code pages re-execute /status/500 (HTML, with the toolbar).
        await session.GotoAsync("/products/order/1");
        await Assertions.Expect(session.Page.Locator("h1")).ToHaveTextAsync("Status 500");
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"exceptions\"]")).ToHaveClassAsync(new Regex("tb-nav-error"));
        await Assertions.Expect(session.Page.Locator("button[data-panel=\"exceptions\"]")).ToContainTextAsync("1 failed the request");

        var exceptions = await session.OpenPanelAsync("exceptions");
        await Assertions.Expect(exceptions.Locator("[data-exc-banner]")).ToHaveTextAsync(new Regex(@"^The request failed \(status 500\)"));
        var failing = exceptions.Locator(".tb-exc", new() { Has = session.Page.Locator("[data-exc-handled=\"false\"]") });
        await Assertions.Expect(failing).ToHaveCountAsync(1);
        await Assertions.Expect(failing.Locator(".tb-exc-type")).ToHaveTextAsync("System.InvalidOperationException");
        await Assertions.Expect(failing.Locator("[data-exc-handled]")).ToHaveTextAsync("failed the request");
        // Its stack is the app's own frames only: the Domain project's rule and the Web project's controller.
        var frames = failing.Locator(".tb-exc-stack").First.Locator("li");
        await Assertions.Expect(frames.First).ToContainTextAsync("Microsoft.Contoso.Shop.Domain.PriceCalculator.LineTotal");
        await Assertions.Expect(frames.Nth(1)).ToContainTextAsync("Microsoft.Contoso.Shop.Web.Controllers.ProductsController.Order");
        await Assertions.Expect(frames).ToHaveCountAsync(2);
        var domain = SourceFile("ShopApp.Domain", "PriceCalculator.cs");
        await Assertions.Expect(frames.First.Locator("a.tb-code-link")).ToHaveAttributeAsync(
            "href", new Regex("^" + Regex.Escape($"vscode://file/{domain}:{LineOf(domain, "throw new InvalidOperationException")}:")));
        await Assertions.Expect(frames.First.Locator("a.tb-code-link")).ToHaveTextAsync(new Regex(@"^PriceCalculator\.cs:\d+$"));
        await session.ScreenshotAsync("shop-exception-failed-request");
        AssertNoConsoleErrorsBut(session, 500);
    }

    [Fact]
    public async Task Developer_exception_page_carries_the_toolbar_opened_on_exceptions_with_its_fail_log()
    {
        await using var session = await Shop.NewPageAsync(browser);
        await session.Page.GotoAsync(session.BaseUrl + "/boom");
        await Assertions.Expect(session.Page.Locator("body")).ToContainTextAsync("Only 1 of 'Teapot' in stock, 3 ordered.");

        // Opened on the exceptions panel without a click.
        var exceptions = session.Page.Locator("[data-panel-content=\"exceptions\"]");
        await Assertions.Expect(exceptions).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(exceptions.Locator("[data-exc-handled=\"false\"]")).ToHaveCountAsync(1);
        var domain = SourceFile("ShopApp.Domain", "PriceCalculator.cs");
        await Assertions.Expect(exceptions.Locator("a.tb-code-link").First).ToHaveAttributeAsync(
            "href", new Regex("^" + Regex.Escape($"vscode://file/{domain}:{LineOf(domain, "throw new InvalidOperationException")}:")));
        await session.ScreenshotAsync("shop-developer-exception-page");

        // The page's own "fail:" record (written by the developer exception page, outside the app's code) is in the request's logs.
        var logs = await session.OpenPanelAsync("logs");
        var fail = logs.Locator("tr[data-tb-row]", new() { HasText = "An unhandled exception has occurred while executing the request." });
        await Assertions.Expect(fail).ToHaveCountAsync(1);
        await Assertions.Expect(fail).ToContainTextAsync("error");
        AssertNoConsoleErrorsBut(session, 500);
    }

    [Fact]
    public async Task Spa_fallback_shows_the_original_path_the_file_it_served_and_the_fallback_endpoint()
    {
        await using var session = await Shop.NewPageAsync(browser);
        await session.GotoAsync("/app/orders/42");
        await Assertions.Expect(session.Page.Locator("#spa-route")).ToHaveTextAsync("route: /app/orders/42");

        var routes = await session.OpenPanelAsync("routes");
        await Assertions.Expect(routes.Locator("[data-routes-original]")).ToHaveTextAsync("GET /app/orders/42");
        await Assertions.Expect(routes.Locator("[data-routes-rewritten]")).ToHaveTextAsync("/app/index.html");
        await Assertions.Expect(routes.Locator("[data-routes-matched]")).ToHaveTextAsync("/app/{*path:nonfile}");
        await Assertions.Expect(routes.Locator("[data-routes-nomatch]")).ToHaveCountAsync(0);
        await Assertions.Expect(routes.Locator("input[name=path]")).ToHaveValueAsync("/app/orders/42");
        await session.ScreenshotAsync("shop-routes-fallback");

        var request = await session.OpenPanelAsync("request");
        await Assertions.Expect(request.Locator("tr", new() { HasText = "Rewritten path" })).ToContainTextAsync("/app/index.html");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task Rewritten_request_shows_both_paths_and_the_conventional_route_that_ran()
    {
        await using var session = await Shop.NewPageAsync(browser);
        await session.GotoAsync("/catalog/3");
        await Assertions.Expect(session.Page.Locator("h1")).ToHaveTextAsync("Product 3");

        var routes = await session.OpenPanelAsync("routes");
        await Assertions.Expect(routes.Locator("[data-routes-original]")).ToHaveTextAsync("GET /catalog/3");
        await Assertions.Expect(routes.Locator("[data-routes-rewritten]")).ToHaveTextAsync("/products/details/3");
        await Assertions.Expect(routes.Locator("[data-routes-matched]")).ToHaveTextAsync("/{controller=Home}/{action=Index}/{id?}");
        await Assertions.Expect(routes.Locator("input[name=path]")).ToHaveValueAsync("/catalog/3");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task Re_executed_not_found_explains_why_every_near_route_did_not_match()
    {
        await using var session = await Shop.NewPageAsync(browser);
        await session.GotoAsync("/products/nope/1/2");
        await Assertions.Expect(session.Page.Locator("h1")).ToHaveTextAsync("Status 404");

        var routes = await session.OpenPanelAsync("routes");
        await Assertions.Expect(routes.Locator("[data-routes-rewritten]")).ToHaveTextAsync("/status/404");
        await Assertions.Expect(routes.Locator("[data-routes-matched]")).ToHaveTextAsync("/status/{code:int}");
        var why = routes.Locator("[data-routes-nearest] [data-routes-why]");
        await Assertions.Expect(why.First).ToBeVisibleAsync();
        var reasons = await why.AllInnerTextsAsync();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.False(string.IsNullOrWhiteSpace(r)));
        // The conventional route (one endpoint per action) says which action it stands for; the fallback says why not.
        var rows = routes.Locator("[data-routes-nearest] tbody tr");
        await Assertions.Expect(rows.Filter(new() { HasText = "{controller=Home}" }).First.Locator("[data-routes-why]")).ToHaveTextAsync(new Regex("action|path|segment"));
        await session.ScreenshotAsync("shop-routes-nearest");
        AssertNoConsoleErrorsBut(session, 404);
    }

    [Fact]
    public async Task Identity_login_signs_in_and_the_request_panel_shows_the_user()
    {
        await using var session = await Shop.NewPageAsync(browser);
        await session.GotoAsync("/Account/Login");
        await session.Page.FillAsync("input[name=Email]", Microsoft.Contoso.Shop.Data.ShopSeed.UserEmail);
        await session.Page.FillAsync("input[name=Password]", Microsoft.Contoso.Shop.Data.ShopSeed.UserPassword);
        await session.Page.ClickAsync("button[type=submit]");
        await Assertions.Expect(session.Page.Locator("#user-name")).ToHaveTextAsync(Microsoft.Contoso.Shop.Data.ShopSeed.UserEmail);
        await session.Page.Locator("[data-toolbar-handle]").WaitForAsync();

        var request = await session.OpenPanelAsync("request");
        await Assertions.Expect(request.Locator("tr", new() { HasText = "User" }).First).ToContainTextAsync(Microsoft.Contoso.Shop.Data.ShopSeed.UserEmail);
        Assert.Empty(session.ConsoleErrors);
    }
}
