using System.Text.Json;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Cpu;

/// <summary>Profiles the sample app's <c>/cpu</c> page, whose hottest method and its caller are known.</summary>
[Collection(SerialCollection.Name)]
public sealed class CpuSampleAppTests : IDisposable
{
    // Without the threads panel: its wait sessions start in the background on the first tracked request, and their
    // method rundown competes for the two cores with the burn these tests attribute.
    private readonly SampleAppFactory _factory = new() { Settings = { ["Toolbar:DisabledPanels:0"] = "threads" } };

    public void Dispose() => _factory.Dispose();

    private async Task<JsonElement> ProfileAsync(string url)
    {
        var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Toolbar-Profile", "cpu");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var record = await _factory.GetRecordAsync(client, id);
        var cpu = record.GetProperty("panels").GetProperty("cpu");
        Assert.True(cpu.ValueKind == JsonValueKind.Object, record.ToString());
        return cpu;
    }

    [Fact]
    public async Task Spin_has_the_most_self_samples_and_its_share_matches_the_burn()
    {
        // Warm up: the first request compiles the app; the profile should see the steady state.
        await ProfileAsync("/cpu?ms=20");

        var cpu = await ProfileAsync("/cpu?ms=200");

        var samples = cpu.GetProperty("sampleCount").GetInt32();
        var top = cpu.GetProperty("functions")[0];
        Assert.StartsWith("SampleApp.Hot.Spin", top.GetProperty("name").GetString());
        Assert.Equal("SampleApp", top.GetProperty("module").GetString());
        Assert.True(top.GetProperty("appCode").GetBoolean());
        var spin = top.GetProperty("selfSamples").GetInt32();
        // 200 ms of spinning in a request of about 250 ms: Spin must hold most of the request's samples.
        Assert.True(spin >= 0.6 * samples, $"Spin has {spin} of {samples} samples");
        // One sample a millisecond: 200 ms of spinning is about 200 samples (the sampler's period stretches under load,
        // and a starved machine stretches the spin's own wall time too: never beyond the time sampled).
        var sampledMs = cpu.GetProperty("durationMs").GetDouble() + (2 * cpu.GetProperty("intervalMs").GetDouble());
        Assert.True(spin * cpu.GetProperty("intervalMs").GetDouble() is var spinMs && spinMs >= 100 && spinMs <= Math.Max(260, sampledMs), $"{spin} samples; {cpu.GetProperty("sampleCount")} {cpu.GetProperty("durationMs")} ms {cpu.GetProperty("processSampleCount")} {cpu.GetProperty("threadCount")}");
    }
}
