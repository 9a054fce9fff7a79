using System.Text.Json;

namespace Toolbar.Tests.Panels.Context;

/// <summary>Small helpers shared by the panel tests: send a request, fetch what the toolbar stored for it.</summary>
internal static class ContextPanelTestHelpers
{
    public static string ToolbarId(HttpResponseMessage response) => response.Headers.GetValues("X-Toolbar-Id").Single();

    public static async Task<JsonElement> RecordAsync(HttpClient client, string id)
    {
        var json = await client.GetStringAsync($"/_toolbar/api/requests/{id}");
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    public static async Task<JsonElement> PanelDataAsync(HttpClient client, string id, string panelId) =>
        (await RecordAsync(client, id)).GetProperty("panels").GetProperty(panelId);

    /// <summary>The nav entry (subtitle, status) of a panel for a record.</summary>
    public static async Task<JsonElement> NavAsync(HttpClient client, string id, string panelId)
    {
        var json = await client.GetStringAsync($"/_toolbar/api/requests/{id}/toolbar");
        var root = JsonDocument.Parse(json).RootElement.Clone();
        return root.GetProperty("panels").EnumerateArray().Single(p => p.GetProperty("id").GetString() == panelId);
    }

    public static async Task<string> PanelHtmlAsync(HttpClient client, string id, string panelId)
    {
        var response = await client.GetAsync($"/_toolbar/requests/{id}/panels/{panelId}");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Ids of every panel the toolbar shows for a record.</summary>
    public static async Task<List<string>> PanelIdsAsync(HttpClient client, string id)
    {
        var json = await client.GetStringAsync($"/_toolbar/api/requests/{id}/toolbar");
        return JsonDocument.Parse(json).RootElement.GetProperty("panels").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
    }

    /// <summary>The newest stored record for a path (for responses whose toolbar headers were cleared, e.g. error pages).</summary>
    public static async Task<string> NewestIdForPathAsync(HttpClient client, string path)
    {
        var json = await client.GetStringAsync("/_toolbar/api/requests");
        return JsonDocument.Parse(json).RootElement.EnumerateArray().First(r => r.GetProperty("path").GetString() == path).GetProperty("id").GetString()!;
    }
}
