using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Razor.Hosting;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolbar.Panels.Views;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Views;

/// <summary>The views panel against the sample's pages, whose Razor files are known.</summary>
public class ViewsSampleTests : IClassFixture<SampleAppFactory>
{
    private readonly SampleAppFactory _factory;

    public ViewsSampleTests(SampleAppFactory factory) => _factory = factory;

    private async Task<JsonElement> RecordAsync(string url)
    {
        var client = _factory.CreateClient();
        var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return await _factory.GetRecordAsync(client, response.Headers.GetValues("X-Toolbar-Id").Single());
    }

    // One line per entry, joined, so a failure shows the whole list.
    private static string Describe(JsonElement views) => string.Join("\n", views.GetProperty("views").EnumerateArray()
        .Select(v => $"{v.GetProperty("kind").GetString()} {v.GetProperty("name").GetString()} {v.GetProperty("path").GetString()} {v.GetProperty("modelType").GetString()} parent={v.GetProperty("parentIndex")}"));

    private static string Lines(params string[] lines) => string.Join("\n", lines);

    [Fact]
    public async Task Products_page_lists_the_page_its_handler_view_start_view_partial_and_layout_nested()
    {
        var record = await RecordAsync("/products");
        var views = record.GetProperty("panels").GetProperty("views");
        Assert.Equal(
            Lines(
            "page /Products /Pages/Products.cshtml SampleApp.Pages.ProductsModel parent=",
            "handler OnGetAsync SampleApp.Pages.ProductsModel SampleApp.Pages.ProductsModel parent=0",
            "viewstart _ViewStart /Pages/_ViewStart.cshtml SampleApp.Pages.ProductsModel parent=0",
            "view Products /Pages/Products.cshtml SampleApp.Pages.ProductsModel parent=0",
            "tagHelper FormTagHelper Microsoft.AspNetCore.Mvc.TagHelpers.FormTagHelper  parent=3",
            "tagHelper RenderAtEndOfFormTagHelper Microsoft.AspNetCore.Mvc.TagHelpers.RenderAtEndOfFormTagHelper  parent=3",
            "tagHelper PartialTagHelper Microsoft.AspNetCore.Mvc.TagHelpers.PartialTagHelper  parent=3",
            "partial _ProductCount /Pages/Shared/_ProductCount.cshtml System.Int32 parent=3",
            "layout _Layout /Pages/Shared/_Layout.cshtml SampleApp.Pages.ProductsModel parent=0",
            "tagHelper HeadTagHelper Microsoft.AspNetCore.Mvc.Razor.TagHelpers.HeadTagHelper  parent=8",
            "tagHelper BodyTagHelper Microsoft.AspNetCore.Mvc.Razor.TagHelpers.BodyTagHelper  parent=8"),
            Describe(views));
        Assert.Equal(4, views.GetProperty("renderedCount").GetInt32());
        AssertNestedInTime(views);
        AssertSameStepsInTiming(record, views);
    }

    [Fact]
    public async Task Mvc_catalog_lists_the_action_view_razor_component_view_component_tag_helpers_and_layout()
    {
        var record = await RecordAsync("/mvc/catalog");
        var views = record.GetProperty("panels").GetProperty("views");
        Assert.Equal(
            Lines(
            "action Catalog.Index SampleApp.Controllers.CatalogController  parent=",
            "viewstart _ViewStart /Views/_ViewStart.cshtml SampleApp.Controllers.CatalogViewModel parent=0",
            "view Index /Views/Catalog/Index.cshtml SampleApp.Controllers.CatalogViewModel parent=0",
            "tagHelper ComponentTagHelper Microsoft.AspNetCore.Mvc.TagHelpers.ComponentTagHelper  parent=2",
            "component ProductCard SampleApp.Components.ProductCard  parent=2",
            "tagHelper __Generated__CategoryCountViewComponentTagHelper AspNetCoreGeneratedDocument.Views_Catalog_Index+__Generated__CategoryCountViewComponentTagHelper  parent=2",
            "viewComponent CategoryCount SampleApp.ViewComponents.CategoryCountViewComponent System.Int32 parent=2",
            "viewComponentView Default /Views/Shared/Components/CategoryCount/Default.cshtml System.Int32 parent=2",
            "layout _Layout /Pages/Shared/_Layout.cshtml SampleApp.Controllers.CatalogViewModel parent=0",
            "tagHelper HeadTagHelper Microsoft.AspNetCore.Mvc.Razor.TagHelpers.HeadTagHelper  parent=8",
            "tagHelper BodyTagHelper Microsoft.AspNetCore.Mvc.Razor.TagHelpers.BodyTagHelper  parent=8"),
            Describe(views));
        AssertNestedInTime(views);
        AssertSameStepsInTiming(record, views);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Components_page_lists_every_razor_component_of_static_rendering_nested_under_its_parent(int products)
    {
        var client = _factory.CreateClient();
        var response = await client.GetAsync($"/components?n={products}");
        response.EnsureSuccessStatusCode();
        var html = await response.Content.ReadAsStringAsync();
        var record = await _factory.GetRecordAsync(client, response.Headers.GetValues("X-Toolbar-Id").Single());
        var views = record.GetProperty("panels").GetProperty("views");
        var list = views.GetProperty("views").EnumerateArray().ToList();

        // Independent truth: each ProductCard marks its markup; the page asked for that many products.
        var cardsInHtml = Regex.Count(html, "data-component=\"ProductCard\"");
        Assert.Equal(products, cardsInHtml);
        var cards = list.Where(v => v.GetProperty("name").GetString() == "ProductCard").ToList();
        Assert.Equal(cardsInHtml, cards.Count);
        Assert.All(cards, c => Assert.Equal("component", c.GetProperty("kind").GetString()));
        Assert.All(cards, c => Assert.Equal("SampleApp.Components.ProductCard", c.GetProperty("path").GetString()));

        // Every card is a child of the page component, which sits in the layout, inside the router, under the root App.
        var page = Assert.Single(list, v => v.GetProperty("name").GetString() == "ComponentsPage");
        Assert.All(cards, c => Assert.Equal(page.GetProperty("index").GetInt32(), c.GetProperty("parentIndex").GetInt32()));
        var chain = new List<string>();
        for (JsonElement? at = page; at is { } v; at = v.GetProperty("parentIndex").ValueKind == JsonValueKind.Number ? list[v.GetProperty("parentIndex").GetInt32()] : null)
        {
            chain.Add(v.GetProperty("name").GetString()!);
        }

        Assert.Equal("App", chain[^1]);
        Assert.Contains("MainLayout", chain);
        Assert.Contains("Routes", chain);
        Assert.Contains("Router", chain);
        Assert.All(list, v => Assert.Equal("component", v.GetProperty("kind").GetString()));
        Assert.Equal(list.Count, views.GetProperty("componentCount").GetInt32());

        // The app's components rendered once each (SectionContent, under PageTitle, hands its content over without rendering).
        Assert.All(list.Where(v => v.GetProperty("path").GetString()!.StartsWith("SampleApp.", StringComparison.Ordinal)), v => Assert.Equal(1, v.GetProperty("count").GetInt32()));
        Assert.All(list, v => Assert.True(v.GetProperty("selfMs").GetDouble() <= v.GetProperty("durationMs").GetDouble() + 0.001));
        AssertNestedInTime(views);
        AssertSameStepsInTiming(record, views);

        // Watching the renderer adds nothing to the request: no exception (first chance or not) anywhere in it, and the
        // renderer's debug events reach no other logging provider (the logs panel's is one).
        Assert.Equal(0, record.GetProperty("panels").GetProperty("exceptions").GetProperty("total").GetInt32());
        Assert.DoesNotContain(
            record.GetProperty("panels").GetProperty("logs").GetProperty("records").EnumerateArray(),
            r => r.GetProperty("category").GetString()!.StartsWith("Microsoft.AspNetCore.Components", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_razor_component_result_is_listed_under_the_frameworks_host_component()
    {
        var client = _factory.CreateClient();
        var response = await client.GetAsync("/components/card");
        response.EnsureSuccessStatusCode();
        var html = await response.Content.ReadAsStringAsync();
        var record = await _factory.GetRecordAsync(client, response.Headers.GetValues("X-Toolbar-Id").Single());
        var views = record.GetProperty("panels").GetProperty("views");

        Assert.Equal(1, Regex.Count(html, "data-component=\"ProductCard\""));
        var list = views.GetProperty("views").EnumerateArray().ToList();
        var card = Assert.Single(list, v => v.GetProperty("name").GetString() == "ProductCard");

        // Above it only the framework's own components (RazorComponentEndpointHost, LayoutView), up to a top-level root.
        var ancestors = new List<JsonElement>();
        for (var at = card; at.GetProperty("parentIndex").ValueKind == JsonValueKind.Number;)
        {
            at = list[at.GetProperty("parentIndex").GetInt32()];
            ancestors.Add(at);
        }

        Assert.Contains(ancestors, a => a.GetProperty("name").GetString() == "RazorComponentEndpointHost");
        Assert.All(ancestors, a => Assert.StartsWith("Microsoft.AspNetCore.Components.", a.GetProperty("path").GetString(), StringComparison.Ordinal));
        Assert.All(list, v => Assert.Equal("component", v.GetProperty("kind").GetString()));
        AssertSameStepsInTiming(record, views);
    }

    [Fact]
    public async Task The_page_component_that_loads_its_products_includes_the_query_in_its_time()
    {
        var record = await RecordAsync("/components?n=3");
        var list = record.GetProperty("panels").GetProperty("views").GetProperty("views").EnumerateArray().ToList();
        var page = Assert.Single(list, v => v.GetProperty("name").GetString() == "ComponentsPage");

        // Its OnInitializedAsync runs the request's only query: the query lies within the page component's time.
        var query = Assert.Single(record.GetProperty("panels").GetProperty("sql").GetProperty("queries").EnumerateArray());
        var pageStart = page.GetProperty("startMs").GetDouble();
        var pageEnd = pageStart + page.GetProperty("durationMs").GetDouble();
        var queryStart = query.GetProperty("startMs").GetDouble();
        Assert.InRange(queryStart, pageStart, pageEnd);
        Assert.True(page.GetProperty("selfMs").GetDouble() >= query.GetProperty("durationMs").GetDouble());
    }

    [Theory]
    [InlineData("/products", "/Pages/Products.cshtml", "/Pages/Shared/_Layout.cshtml")]
    [InlineData("/mvc/catalog", "/Views/Catalog/Index.cshtml", "/Pages/Shared/_Layout.cshtml")]
    public async Task Tag_helpers_listed_under_each_file_are_the_ones_the_razor_compiler_attached_to_it(string url, string view, string layout)
    {
        var client = _factory.CreateClient();
        var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        var record = await _factory.GetRecordAsync(client, response.Headers.GetValues("X-Toolbar-Id").Single());
        var list = record.GetProperty("panels").GetProperty("views").GetProperty("views").EnumerateArray().ToList();

        foreach (var file in new[] { view, layout })
        {
            var fileEntry = list.Last(v => v.GetProperty("path").GetString() == file && v.GetProperty("kind").GetString() is "view" or "layout");
            var listed = list
                .Where(v => v.GetProperty("kind").GetString() == "tagHelper" && v.GetProperty("parentIndex").ValueKind == JsonValueKind.Number && v.GetProperty("parentIndex").GetInt32() == fileEntry.GetProperty("index").GetInt32())
                .Select(v => v.GetProperty("path").GetString())
                .Order()
                .ToArray();
            Assert.Equal(CompiledTagHelperTypes(file), listed);
        }

        // Each tag helper runs once per element it applies to: one per <form>, <head> and <body> of the HTML.
        int CountOf(string name) => list.Where(v => v.GetProperty("name").GetString() == name).Sum(v => v.GetProperty("count").GetInt32());
        Assert.Equal(Regex.Count(html, "<head[ >]"), CountOf("HeadTagHelper"));
        Assert.Equal(Regex.Count(html, "<body[ >]"), CountOf("BodyTagHelper"));
        Assert.Equal(Regex.Count(html, "<form[ >]"), CountOf("FormTagHelper"));
        Assert.Equal(
            list.Where(v => v.GetProperty("kind").GetString() == "tagHelper").Sum(v => v.GetProperty("count").GetInt32()),
            record.GetProperty("panels").GetProperty("views").GetProperty("tagHelperCount").GetInt32());
    }

    [Fact]
    public async Task Outside_a_tracked_request_the_renderer_debug_events_stay_off()
    {
        // Warm the app, then ask the renderer's logger outside any request: it must not be enabled (the renderer skips its events).
        await _factory.CreateClient().GetAsync("/components");
        var logger = _factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Components.RenderTree.Renderer");
        Assert.False(logger.IsEnabled(LogLevel.Debug));
    }

    [Fact]
    public async Task With_the_toolbar_off_the_renderer_logger_is_the_null_one_and_pages_render_as_before()
    {
        using var off = new SampleAppFactory();
        off.Settings["Toolbar:Enabled"] = "false";
        var client = off.CreateClient();
        var html = await client.GetStringAsync("/components?n=2");
        Assert.Equal(2, Regex.Count(html, "data-component=\"ProductCard\""));
        var catalog = await client.GetStringAsync("/mvc/catalog");
        Assert.Equal(1, Regex.Count(catalog, "data-component=\"ProductCard\""));

        var provider = off.Services.GetServices<ILoggerProvider>().OfType<ComponentRenderLoggerProvider>().Single();
        Assert.Same(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, provider.CreateLogger(ComponentRenderLoggerProvider.RendererCategory));
        Assert.False(off.Services.GetRequiredService<ILoggerFactory>().CreateLogger(ComponentRenderLoggerProvider.RendererCategory).IsEnabled(LogLevel.Debug));
    }

    // The tag helper types the Razor compiler attached to a file: the generated class has one field per type it creates.
    private static string[] CompiledTagHelperTypes(string file)
    {
        var item = typeof(Program).Assembly.GetCustomAttributes<RazorCompiledItemAttribute>().Single(a => a.Identifier == file);
        return item.Type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
            .Where(f => typeof(ITagHelper).IsAssignableFrom(f.FieldType))
            .Select(f => f.FieldType.FullName!)
            .Distinct()
            .Order()
            .ToArray();
    }

    [Fact]
    public async Task A_page_without_mvc_has_no_views()
    {
        var record = await RecordAsync("/big?kb=1");
        Assert.Empty(record.GetProperty("panels").GetProperty("views").GetProperty("views").EnumerateArray());
    }

    // Every entry lies within its parent (start and end), as the framework's before/after events nest.
    private static void AssertNestedInTime(JsonElement views)
    {
        var list = views.GetProperty("views").EnumerateArray().ToList();
        foreach (var view in list)
        {
            Assert.False(view.GetProperty("unfinished").GetBoolean());
            if (view.GetProperty("parentIndex").ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var parent = list[view.GetProperty("parentIndex").GetInt32()];
            if (view.GetProperty("kind").GetString() == "tagHelper")
            {
                // Tag helpers of one type are counted together; their time is the time creating them, spread over the file's render.
                Assert.True(view.GetProperty("durationMs").GetDouble() <= parent.GetProperty("durationMs").GetDouble());
                continue;
            }

            var start = view.GetProperty("startMs").GetDouble();
            var parentStart = parent.GetProperty("startMs").GetDouble();
            Assert.True(start >= parentStart);
            Assert.True(start + view.GetProperty("durationMs").GetDouble() <= parentStart + parent.GetProperty("durationMs").GetDouble() + 0.01);
        }
    }

    // The timing panel shows the same steps as spans of the views source, with the same nesting.
    private static void AssertSameStepsInTiming(JsonElement record, JsonElement views)
    {
        var spans = record.GetProperty("panels").GetProperty("timing").GetProperty("spans").EnumerateArray()
            .Where(s => s.GetProperty("source").GetString() == "Toolbar.Views").ToList();
        var spanById = spans.ToDictionary(s => s.GetProperty("id").GetInt32());

        // Tag helpers are counted per type, not timed one by one: they have no span.
        var all = views.GetProperty("views").EnumerateArray().ToList();
        var list = all.Where(v => v.GetProperty("kind").GetString() != "tagHelper").ToList();

        // Each step and each span described by its chain of names up to the top, so the nesting is compared too
        // (the waterfall lists spans depth first, the panel in start order).
        string EntryChain(JsonElement v) => v.GetProperty("kind").GetString() + " " + v.GetProperty("name").GetString()
            + (v.GetProperty("parentIndex").ValueKind == JsonValueKind.Number ? " < " + EntryChain(all[v.GetProperty("parentIndex").GetInt32()]) : "");
        string SpanChain(JsonElement s) => s.GetProperty("name").GetString()
            + (s.TryGetProperty("parentId", out var parent) && parent.ValueKind == JsonValueKind.Number && spanById.TryGetValue(parent.GetInt32(), out var p) ? " < " + SpanChain(p) : "");
        Assert.Equal(string.Join("\n", list.Select(EntryChain).Order()), string.Join("\n", spans.Select(SpanChain).Order()));

        // And the same times: a span is made from its step's own clock readings, so it lasts exactly as long (give or
        // take the rounding of both to the microsecond), however busy the machine is between the readings.
        // Both start at the same moment of the request too: the spans are timed from the request's start on both clocks.
        foreach (var property in new[] { "durationMs", "startMs" })
        {
            var stepTimes = list.GroupBy(EntryChain).ToDictionary(g => g.Key, g => g.Select(v => v.GetProperty(property).GetDouble()).Order().ToArray());
            foreach (var group in spans.GroupBy(SpanChain))
            {
                var spanTimes = group.Select(s => s.GetProperty(property).GetDouble()).Order().ToArray();
                for (var i = 0; i < spanTimes.Length; i++)
                {
                    Assert.True(Math.Abs(stepTimes[group.Key][i] - spanTimes[i]) <= 0.003, $"{group.Key}: step {property} {stepTimes[group.Key][i]}, span {spanTimes[i]}");
                }
            }
        }
    }
}
