using Microsoft.Extensions.DependencyInjection;
using Toolbar.Panels.Timing;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Timing;

public class TimingSampleAppTests
{
    // The SQL and timing panels share one subscription to EF Core's events: each must see every command
    // whether or not the other one is on.
    [Theory]
    [InlineData(null)]
    [InlineData("sql")]
    public async Task Products_page_shows_each_of_its_eleven_ef_core_commands_as_a_span(string? disabledPanel)
    {
        await using var factory = new SampleAppFactory();
        if (disabledPanel is not null)
        {
            factory.Settings["Toolbar:DisabledPanels:0"] = disabledPanel;
        }

        using var client = factory.CreateClient();

        var response = await client.GetAsync("/products");
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var record = await factory.Services.GetRequiredService<IToolbarStore>().GetAsync(id);
        var data = record!.GetPanelData<TimingData>("timing")!;

        // The N+1 demo: one query for the products, then one per product's category (DESIGN).
        var commands = data.Spans.Where(s => s.Source == "Microsoft.EntityFrameworkCore").ToArray();
        Assert.Equal(11, commands.Length);
        Assert.All(commands, c => Assert.StartsWith("SELECT", c.Name, StringComparison.Ordinal));
        Assert.All(commands, c => Assert.Contains("db.query.text", c.Tags!.Keys));
    }
}
