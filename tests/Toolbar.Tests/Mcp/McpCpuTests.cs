using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Mcp;

/// <summary>An agent profiles a URL's next request and reads the hottest functions, as the CPU panel shows them.</summary>
[Collection(SerialCollection.Name)]
public sealed class McpCpuTests
{
    [Fact]
    public async Task Profile_next_request_arms_the_url_and_get_cpu_profile_reads_it()
    {
        // Without the threads panel, whose session start competes with the burn (see CpuSampleAppTests).
        using var factory = new SampleAppFactory { Settings = { ["Toolbar:DisabledPanels:0"] = "threads" } };
        using var http = factory.CreateClient();
        (await http.GetAsync("/cpu?ms=20")).EnsureSuccessStatusCode(); // warm up: compile the app before the profiled request

        await using var mcp = await McpConnection.ConnectAsync(factory, new() { ["X-Toolbar-Request"] = "1" });
        var armed = await McpClientTests.CallAsync(mcp, "profile_next_request", new() { ["url"] = "/cpu?ms=150" });
        Assert.Equal("/cpu?ms=150", armed.GetProperty("armed").GetString());

        using var response = await http.GetAsync("/cpu?ms=150");
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var api = (await factory.GetRecordAsync(http, id)).GetProperty("panels").GetProperty("cpu");
        var profile = await McpClientTests.CallAsync(mcp, "get_cpu_profile", new() { ["requestId"] = id, ["top"] = 3 });

        Assert.True(api.GetProperty("profiled").GetBoolean());
        Assert.Equal(api.GetProperty("sampleCount").GetInt32(), profile.GetProperty("sampleCount").GetInt32());
        // The tool gives the API's profile, cut to the top 3 (the profile's own accuracy is CpuSampleAppTests').
        var top = profile.GetProperty("functions");
        Assert.True(top.GetArrayLength() is > 0 and <= 3, top.ToString());
        var apiTop = api.GetProperty("functions").EnumerateArray().Take(3).Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(apiTop, top.EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList());
        Assert.Contains(apiTop, n => n!.StartsWith("SampleApp.Hot.Spin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Profile_next_request_needs_the_intent_header()
    {
        // Without the threads panel, whose session start competes with the burn (see CpuSampleAppTests).
        using var factory = new SampleAppFactory { Settings = { ["Toolbar:DisabledPanels:0"] = "threads" } };
        await using var mcp = await McpConnection.ConnectAsync(factory);

        var refused = await mcp.CallToolAsync("profile_next_request", new Dictionary<string, object?> { ["url"] = "/cpu" });

        Assert.True(refused.IsError);
        Assert.Contains("X-Toolbar-Request: 1", McpClientTests.Text(refused), StringComparison.Ordinal);
    }
}
