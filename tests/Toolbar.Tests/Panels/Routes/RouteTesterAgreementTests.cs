using System.Net;
using System.Text.Json;

namespace Toolbar.Tests.Panels.Routes;

/// <summary>
/// The route tester must answer exactly what the app does: each case is sent once as a real request
/// (the endpoint that ran names itself in <c>X-Endpoint</c>) and once to the tester.
/// </summary>
public class RouteTesterAgreementTests(RoutesTestApp app) : IClassFixture<RoutesTestApp>
{
    // (method, path, host or null, expected endpoint name or status code as text)
    public static TheoryData<string, string, string?, string> Cases => new()
    {
        { "GET", "/products", null, "products-list" },
        { "POST", "/products", null, "product-create" },
        { "GET", "/products/7", null, "product-by-id" },
        { "GET", "/PRODUCTS/7/", null, "product-by-id" },
        { "GET", "/products/abc", null, "product-by-slug" },
        { "GET", "/products/abc123", null, "404" },
        { "PUT", "/products/7", null, "product-update" },
        { "PUT", "/products/abc", null, "404" },
        { "DELETE", "/products/5", null, "product-delete" },
        { "DELETE", "/products/0", null, "404" },
        { "PATCH", "/products/5", null, "405" },
        { "OPTIONS", "/products", null, "405" },
        { "HEAD", "/products", null, "405" },
        { "GET", "/files", null, "files" },
        { "GET", "/files/a/b/c.txt", null, "files" },
        { "GET", "/files/a%2Fb", null, "files" },
        { "GET", "/docs", null, "docs" },
        { "GET", "/docs/intro", null, "docs" },
        { "GET", "/docs/intro/more", null, "404" },
        { "GET", "/orders/2024", null, "orders" },
        { "GET", "/orders/2024/5", null, "orders" },
        { "GET", "/orders/1999", null, "404" },
        { "GET", "/orders/2024/may", null, "404" },
        { "GET", "/search/ab", null, "404" },
        { "GET", "/search/abc", null, "search" },
        { "GET", "/users/me", null, "user-me" },
        { "GET", "/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301", null, "user-by-guid" },
        { "GET", "/users/bob", null, "404" },
        { "GET", "/api/widgets", null, "widgets-list" },
        { "GET", "/api/widgets/3", null, "widgets-get" },
        { "POST", "/api/widgets", null, "widgets-create" },
        { "DELETE", "/api/widgets", null, "405" },
        { "GET", "/items/1", null, "items" },
        { "HEAD", "/items/1", null, "items" },
        { "GET", "/tenant", "tenant.example.com", "tenant-host" },
        { "GET", "/tenant", "other.example.com", "tenant-any" },
        { "GET", "/clash/x", null, "500" },
        { "GET", "/nope", null, "404" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Tester_agrees_with_a_real_request(string method, string path, string? host, string expected)
    {
        var (real, recordId) = await RealAsync(method, path, host);
        Assert.Equal(expected, real);

        var answer = await app.TestAsync(method, path, host);
        var tested = answer.GetProperty("matched") is { ValueKind: JsonValueKind.Object } matched
            ? matched.GetProperty("endpointName").GetString()
            : answer.GetProperty("statusCode").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(real, tested);

        // The request's own record names the same endpoint.
        var recorded = (await app.GetRecordAsync(recordId)).GetProperty("panels").GetProperty("routes").GetProperty("matched");
        Assert.Equal(answer.GetProperty("matched").ValueKind == JsonValueKind.Object ? real : null,
            recorded.ValueKind == JsonValueKind.Object ? recorded.GetProperty("endpointName").GetString() : null);
    }

    private async Task<(string Endpoint, string RecordId)> RealAsync(string method, string path, string? host)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await app.Client.SendAsync(request);
        var recordId = response.Headers.GetValues("X-Toolbar-Id").Single();
        if (response.StatusCode == HttpStatusCode.OK && response.Headers.TryGetValues("X-Endpoint", out var names))
        {
            return (names.Single(), recordId);
        }

        return (((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), recordId);
    }
}
