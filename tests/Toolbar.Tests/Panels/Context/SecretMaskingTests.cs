using Toolbar.Tests.Infrastructure;
using static Toolbar.Tests.Panels.Context.ContextPanelTestHelpers;

namespace Toolbar.Tests.Panels.Context;

public class SecretMaskingTests
{
    private const string DbPassword = "hunter2";
    private const string BearerToken = "s3cr3t";

    [Fact]
    public async Task Connection_string_password_and_bearer_token_appear_nowhere()
    {
        using var factory = new SampleAppFactory();
        // ConnectionStrings:Main is the sample's working SQLite database; the secret goes in a second one.
        factory.Settings["ConnectionStrings:Secondary"] = $"Data Source=x;Password={DbPassword}";
        var client = factory.CreateClient();
        using var message = new HttpRequestMessage(HttpMethod.Get, "/products");
        message.Headers.TryAddWithoutValidation("Authorization", $"Bearer {BearerToken}");
        var response = await client.SendAsync(message);
        var id = ToolbarId(response);

        var json = await client.GetStringAsync($"/_toolbar/api/requests/{id}");
        var record = await RecordAsync(client, id);
        // The secrets really were there to leak: the panels saw the key and the header, masked.
        Assert.Equal(SecretMasker.Mask, record.GetProperty("panels").GetProperty("config").GetProperty("values").GetProperty("ConnectionStrings:Secondary").GetString());
        Assert.Equal(SecretMasker.Mask, record.GetProperty("panels").GetProperty("request").GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.DoesNotContain(DbPassword, json, StringComparison.Ordinal);
        Assert.DoesNotContain(BearerToken, json, StringComparison.Ordinal);

        var panelIds = await PanelIdsAsync(client, id);
        Assert.Contains("config", panelIds);
        foreach (var panelId in panelIds)
        {
            var html = await PanelHtmlAsync(client, id, panelId);
            Assert.False(html.Contains(DbPassword, StringComparison.Ordinal), $"Panel '{panelId}' shows the database password.");
            Assert.False(html.Contains(BearerToken, StringComparison.Ordinal), $"Panel '{panelId}' shows the bearer token.");
        }
    }
}
