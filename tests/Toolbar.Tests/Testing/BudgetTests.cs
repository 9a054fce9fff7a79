using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Toolbar.Testing;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Testing;

/// <summary>
/// The budget helpers of Toolbar.Testing, proved on the sample app in Production with no client address (a plain
/// test host): each rule fails when it should, with a report that names what to fix, and holds when it should.
/// </summary>
public sealed class BudgetTests : IClassFixture<BudgetTests.RecordingFactory>
{
    private readonly RecordingFactory _factory;

    public BudgetTests(RecordingFactory factory) => _factory = factory;

    [Fact]
    public async Task Records_a_plain_test_host_in_production()
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync("/api/products");

        var record = await client.GetToolbarRecordAsync(response);
        Assert.Equal("/api/products", record.GetProperty("path").GetString());
    }

    [Fact]
    public async Task No_n_plus_one_fails_on_the_products_page_with_statement_count_parameters_and_call_site()
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync("/products");
        var id = response.GetToolbarId();

        var failure = await Assert.ThrowsAsync<ToolbarBudgetException>(() => client.AssertToolbarBudgetAsync(response, ToolbarBudget.Create().NoNPlusOne()));

        Assert.StartsWith("Toolbar budget exceeded for GET /products → 200 (record " + id + "): 1 of 1 rules failed.", failure.Message, StringComparison.Ordinal);
        Assert.Contains("✗ N+1 query groups found (budget: none)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("10 × SELECT", failure.Message, StringComparison.Ordinal);
        Assert.Contains("\"Categories\"", failure.Message, StringComparison.Ordinal);
        Assert.Contains("call site: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ProductsModel", failure.Message, StringComparison.Ordinal);
        Assert.Contains("parameters: @", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fixed_products_page_meets_a_tight_budget()
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync("/products?fixed=true");

        await client.AssertToolbarBudgetAsync(response, ToolbarBudget.Create().NoNPlusOne().MaxQueries(1).NoDuplicateQueries().NoExceptions().NoWarningLogs());
    }

    [Fact]
    public async Task Max_queries_reports_the_true_count_and_each_statement()
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync("/products");
        var sqlCount = (await client.GetToolbarRecordAsync(response)).GetProperty("panels").GetProperty("sql").GetProperty("count").GetInt32();

        var failure = await Assert.ThrowsAsync<ToolbarBudgetException>(() => client.AssertToolbarBudgetAsync(response, ToolbarBudget.Create().MaxQueries(5)));

        Assert.Equal(11, sqlCount);
        Assert.Contains($"✗ {sqlCount} queries (budget: at most 5)", failure.Message, StringComparison.Ordinal);
        Assert.Equal(sqlCount, failure.Message.Split('\n').Count(l => l.Contains(" ms  SELECT", StringComparison.Ordinal)));
        await client.AssertToolbarBudgetAsync(response, ToolbarBudget.Create().MaxQueries(sqlCount));
    }

    [Fact]
    public async Task No_exceptions_fails_with_the_exception_and_its_app_frames()
    {
        // Outside Development nothing turns the exception into a page, and a TestServer hands it to the client:
        // the record is found through a scenario instead of the response's header.
        using var factory = new RecordingFactory();
        using var client = factory.CreateClient();
        var scenario = await ToolbarScenario.StartAsync(client);
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetAsync("/error"));

        var failure = await Assert.ThrowsAsync<ToolbarBudgetException>(() => scenario.AssertBudgetAsync(ToolbarBudget.Create().NoExceptions()));

        Assert.Contains("System.InvalidOperationException: Sample failure from /error", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ThrowSampleError", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_allocated_bytes_compares_with_the_memory_panels_figure()
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync("/products");
        var allocated = (await client.GetToolbarRecordAsync(response)).GetProperty("panels").GetProperty("memory").GetProperty("allocatedBytes").GetInt64();

        Assert.True(allocated > 0);
        await client.AssertToolbarBudgetAsync(response, ToolbarBudget.Create().MaxAllocatedBytes(allocated));
        var failure = await Assert.ThrowsAsync<ToolbarBudgetException>(() => client.AssertToolbarBudgetAsync(response, ToolbarBudget.Create().MaxAllocatedBytes(allocated - 1)));
        Assert.Contains("allocated (budget: at most", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scenario_adds_up_queries_over_its_requests()
    {
        using var factory = new RecordingFactory();
        using var client = factory.CreateClient();
        var scenario = await ToolbarScenario.StartAsync(client);
        var ids = new List<string>();
        foreach (var url in new[] { "/products?fixed=true", "/products/3", "/api/products" })
        {
            using var response = await client.GetAsync(url);
            ids.Add(response.GetToolbarId());
        }

        var records = await scenario.GetRecordsAsync();
        Assert.Equal(ids, records.Select(r => r.GetProperty("id").GetString()));
        var total = 0;
        foreach (var id in ids)
        {
            var record = await client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/requests/{id}");
            total += record.GetProperty("panels").GetProperty("sql").GetProperty("count").GetInt32();
        }

        await scenario.AssertBudgetAsync(ToolbarBudget.Create().MaxQueries(total).NoNPlusOne());
        var failure = await Assert.ThrowsAsync<ToolbarBudgetException>(() => scenario.AssertBudgetAsync(ToolbarBudget.Create().MaxQueries(total - 1)));
        Assert.StartsWith("Toolbar budget exceeded for 3 requests", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"{total} queries (budget: at most {total - 1})", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_failing_rules_are_reported_together()
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync("/products");

        var failure = await Assert.ThrowsAsync<ToolbarBudgetException>(() =>
            client.AssertToolbarBudgetAsync(response, ToolbarBudget.Create().NoNPlusOne().MaxQueries(2).NoExceptions()));

        Assert.Contains("2 of 3 rules failed", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>The sample app in Production, no client address, recorded for tests.</summary>
    public sealed class RecordingFactory : SampleAppFactory
    {
        public RecordingFactory()
        {
            Environment = "Production";
            RemoteAddress = null!;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseDebugToolbarRecording();
        }
    }
}
