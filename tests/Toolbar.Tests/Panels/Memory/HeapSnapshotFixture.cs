using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Toolbar.Internal;
using Toolbar.Panels.Memory;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Memory;

/// <summary>Heap snapshots walk this whole test process: run them alone, never beside other tests' allocations.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapSnapshotCollection : ICollectionFixture<HeapSnapshotFixture>
{
    public const string Name = "Heap snapshots";
}

/// <summary>One sample app for all heap snapshot tests, with helpers for its snapshot API.</summary>
public sealed class HeapSnapshotFixture : IDisposable
{
    public HeapSnapshotFixture()
    {
        // The threads panel's wait sessions parse runtime events on a background thread all the time, allocating
        // between a snapshot and the dump it is compared with; a heap walk test wants a quiet process.
        Factory = new SampleAppFactory { Settings = { ["Toolbar:DisabledPanels:0"] = "threads" } };
        Client = Factory.CreateClient();
    }

    public SampleAppFactory Factory { get; }

    public HttpClient Client { get; }

    internal HeapSnapshotStore Store =>
        ((MemoryPanel)Factory.Services.GetRequiredService<ToolbarRuntime>().ById["memory"]).Snapshots;

    public Task<HttpResponseMessage> PostSnapshotAsync()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/_toolbar/panels/memory/snapshots");
        request.Headers.Add("X-Toolbar-Request", "1");
        return Client.SendAsync(request);
    }

    public async Task<JsonElement> TakeSnapshotAsync()
    {
        var response = await PostSnapshotAsync();
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<JsonElement> DiffAsync(JsonElement from, JsonElement to)
    {
        var json = await Client.GetStringAsync($"/_toolbar/panels/memory/snapshots/{from.GetProperty("id").GetInt32()}/diff/{to.GetProperty("id").GetInt32()}");
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    public async Task<int> RetainAsync(int count)
    {
        var json = await Client.GetStringAsync($"/memory/retain?count={count}");
        return JsonDocument.Parse(json).RootElement.GetProperty("retained").GetInt32();
    }

    public async Task ReleaseAsync() => await Client.GetStringAsync("/memory/release");

    public async Task<HttpResponseMessage> DeleteAsync(int id)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/_toolbar/panels/memory/snapshots/{id}");
        request.Headers.Add("X-Toolbar-Request", "1");
        return await Client.SendAsync(request);
    }

    public static JsonElement? Row(JsonElement types, string typeName) =>
        types.EnumerateArray().Where(t => t.GetProperty("type").GetString() == typeName).Cast<JsonElement?>().SingleOrDefault();

    public void Dispose()
    {
        Client.Dispose();
        Factory.Dispose();
    }
}
