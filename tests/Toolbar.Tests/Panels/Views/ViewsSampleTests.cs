using System.Text.Json;
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

    private static string[] Describe(JsonElement views) => views.GetProperty("views").EnumerateArray()
        .Select(v => $"{v.GetProperty("kind").GetString()} {v.GetProperty("name").GetString()} {v.GetProperty("path").GetString()} {v.GetProperty("modelType").GetString()} parent={v.GetProperty("parentIndex")}")
        .ToArray();

    [Fact]
    public async Task Products_page_lists_the_page_its_handler_view_start_view_partial_and_layout_nested()
    {
        var record = await RecordAsync("/products");
        var views = record.GetProperty("panels").GetProperty("views");
        Assert.Equal(
        [
            "page /Products /Pages/Products.cshtml SampleApp.Pages.ProductsModel parent=",
            "handler OnGetAsync SampleApp.Pages.ProductsModel SampleApp.Pages.ProductsModel parent=0",
            "viewstart _ViewStart /Pages/_ViewStart.cshtml SampleApp.Pages.ProductsModel parent=0",
            "view Products /Pages/Products.cshtml SampleApp.Pages.ProductsModel parent=0",
            "partial _ProductCount /Pages/Shared/_ProductCount.cshtml System.Int32 parent=3",
            "layout _Layout /Pages/Shared/_Layout.cshtml SampleApp.Pages.ProductsModel parent=0",
        ],
        Describe(views));
        Assert.Equal(4, views.GetProperty("renderedCount").GetInt32());
        AssertNestedInTime(views);
        AssertSameStepsInTiming(record, views);
    }

    [Fact]
    public async Task Mvc_catalog_lists_the_action_view_view_component_and_layout()
    {
        var record = await RecordAsync("/mvc/catalog");
        var views = record.GetProperty("panels").GetProperty("views");
        Assert.Equal(
        [
            "action Catalog.Index SampleApp.Controllers.CatalogController  parent=",
            "viewstart _ViewStart /Views/_ViewStart.cshtml SampleApp.Controllers.CatalogViewModel parent=0",
            "view Index /Views/Catalog/Index.cshtml SampleApp.Controllers.CatalogViewModel parent=0",
            "component CategoryCount SampleApp.ViewComponents.CategoryCountViewComponent System.Int32 parent=2",
            "component-view Default /Views/Shared/Components/CategoryCount/Default.cshtml System.Int32 parent=2",
            "layout _Layout /Pages/Shared/_Layout.cshtml SampleApp.Controllers.CatalogViewModel parent=0",
        ],
        Describe(views));
        AssertNestedInTime(views);
        AssertSameStepsInTiming(record, views);
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
        var list = views.GetProperty("views").EnumerateArray().ToList();
        Assert.Equal(list.Select(v => v.GetProperty("kind").GetString() + " " + v.GetProperty("name").GetString()), spans.Select(s => s.GetProperty("name").GetString()));
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].GetProperty("parentIndex").ValueKind == JsonValueKind.Number)
            {
                var parentSpan = spans[list[i].GetProperty("parentIndex").GetInt32()];
                Assert.Equal(parentSpan.GetProperty("id").GetInt32(), spans[i].GetProperty("parentId").GetInt32());
            }
        }
    }
}
