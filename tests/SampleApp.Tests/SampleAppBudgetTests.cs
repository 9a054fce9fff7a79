using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Toolbar.Testing;

namespace SampleApp.Tests;

/// <summary>Performance budgets of the sample app's pages: the N+1 that the toolbar finds today cannot come back.</summary>
public sealed class SampleAppBudgetTests : IClassFixture<SampleAppBudgetTests.App>
{
    private readonly App _app;

    public SampleAppBudgetTests(App app) => _app = app;

    [Fact]
    public async Task Product_list_with_the_fix_runs_one_query()
    {
        using var client = _app.CreateClient();
        using var response = await client.GetAsync("/products?fixed=true");

        await client.AssertToolbarBudgetAsync(response, ToolbarBudget.Create().NoNPlusOne().MaxQueries(1).NoExceptions().NoWarningLogs());
    }

    [Fact]
    public async Task Product_api_stays_lean()
    {
        using var client = _app.CreateClient();
        // Whichever test of this class runs first pays for compiling the app and EF Core's first query: not this budget.
        (await client.GetAsync("/api/products")).EnsureSuccessStatusCode();
        using var response = await client.GetAsync("/api/products");

        await client.AssertToolbarBudgetAsync(response, ToolbarBudget.Create()
            .MaxQueries(1)
            .NoDuplicateQueries()
            .MaxAllocatedBytes(4 * 1024 * 1024)
            .NoExceptions()
            // Generous on purpose: test machines are noisy; this catches an order of magnitude, not a few percent.
            .MaxDuration(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Browsing_the_catalog_stays_within_its_query_budget()
    {
        using var client = _app.CreateClient();
        var scenario = await ToolbarScenario.StartAsync(client);

        (await client.GetAsync("/")).EnsureSuccessStatusCode();
        (await client.GetAsync("/products?fixed=true")).EnsureSuccessStatusCode();
        (await client.GetAsync("/products/3")).EnsureSuccessStatusCode();

        await scenario.AssertBudgetAsync(ToolbarBudget.Create().MaxQueries(3).NoNPlusOne().NoExceptions());
    }

    [Fact]
    public async Task The_n_plus_one_demo_page_is_caught_by_the_budget()
    {
        // /products is the sample's deliberate N+1: the budget must catch it and say where it comes from.
        using var client = _app.CreateClient();
        using var response = await client.GetAsync("/products");

        var failure = await Assert.ThrowsAsync<ToolbarBudgetException>(() => client.AssertToolbarBudgetAsync(response, ToolbarBudget.Create().NoNPlusOne()));
        Assert.Contains("10 × SELECT", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ProductsModel", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>The sample app on a test server with its own database, recorded by the toolbar.</summary>
    public sealed class App : WebApplicationFactory<Program>
    {
        private readonly string _database = Path.Combine(Path.GetTempPath(), $"sample-budgets-{Guid.NewGuid():N}.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Main", $"Data Source={_database}");
            builder.UseDebugToolbarRecording();
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            foreach (var suffix in new[] { "", "-shm", "-wal" })
            {
                try
                {
                    File.Delete(_database + suffix);
                }
                catch (IOException)
                {
                    // Still open by a pooled connection: the temp folder's cleanup takes it.
                }
            }
        }
    }
}
