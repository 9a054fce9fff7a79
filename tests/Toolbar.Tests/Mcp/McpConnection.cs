using Microsoft.AspNetCore.Mvc.Testing;
using ModelContextProtocol.Client;

namespace Toolbar.Tests.Mcp;

/// <summary>An MCP client over a test server's HttpClient, as an IDE's agent would connect.</summary>
internal static class McpConnection
{
    public static async Task<McpClient> ConnectAsync<TEntry>(WebApplicationFactory<TEntry> factory, Dictionary<string, string>? headers = null)
        where TEntry : class
    {
        var http = factory.CreateClient();
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = new Uri(http.BaseAddress!, "/_toolbar/mcp"),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = headers,
            },
            http,
            loggerFactory: null,
            ownsHttpClient: true);
        return await McpClient.CreateAsync(transport);
    }
}
