using System.Net.Http.Json;
using System.Text.Json;

namespace Toolbar.Testing;

/// <summary>
/// Helpers for testing a panel through HTTP, over any <see cref="HttpClient"/> that talks to an app
/// with the toolbar (a TestServer client, a WebApplicationFactory client, a real server). They read the
/// response's <c>X-Toolbar-Id</c> and fetch what the toolbar stored for that request. No test framework
/// or test host is needed by this library.
/// </summary>
/// <remarks>
/// The request must be tracked: the default access policy wants the Development environment and a
/// loopback client, and a TestServer reports no client address. In a test host, set
/// <c>ToolbarOptions.ShowToolbar = _ =&gt; true</c> (or give the connection a loopback address).
/// </remarks>
public static class ToolbarHttpClientExtensions
{
    /// <summary>The toolbar's default URL prefix.</summary>
    public const string DefaultPrefix = "/_toolbar";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>The record id the toolbar gave <paramref name="response"/> (its <c>X-Toolbar-Id</c> header).</summary>
    /// <exception cref="InvalidOperationException">The request was not tracked by the toolbar.</exception>
    public static string GetToolbarId(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.TryGetValues("X-Toolbar-Id", out var values) && values.FirstOrDefault() is { Length: > 0 } id)
        {
            return id;
        }

        throw new InvalidOperationException(
            $"The response to {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} has no X-Toolbar-Id header: the toolbar did not track it. "
            + "The default policy needs the Development environment and a loopback client; in a test host set ToolbarOptions.ShowToolbar = _ => true.");
    }

    /// <summary>The stored record of the request behind <paramref name="response"/>, as the JSON API returns it.</summary>
    public static Task<JsonElement> GetToolbarRecordAsync(this HttpClient client, HttpResponseMessage response, string prefix = DefaultPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return GetRecordByIdAsync(client, response.GetToolbarId(), prefix, cancellationToken);
    }

    /// <summary>
    /// Throws <see cref="ToolbarBudgetException"/> with a readable report when the request behind <paramref name="response"/>
    /// exceeds <paramref name="budget"/> (e.g. <c>ToolbarBudget.Create().NoNPlusOne().MaxQueries(3)</c>).
    /// </summary>
    /// <param name="client">A client of the app under test.</param>
    /// <param name="response">The response of the request to check.</param>
    /// <param name="budget">The budget.</param>
    /// <param name="prefix">The toolbar's URL prefix.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task AssertToolbarBudgetAsync(this HttpClient client, HttpResponseMessage response, ToolbarBudget budget, string prefix = DefaultPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var record = await client.GetToolbarRecordAsync(response, prefix, cancellationToken);
        if (budget.Check([record]) is { } report)
        {
            throw new ToolbarBudgetException(report);
        }
    }

    /// <summary>A stored record by id; waits briefly for a record still being stored.</summary>
    internal static async Task<JsonElement> GetRecordByIdAsync(HttpClient client, string id, string prefix, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var answer = await client.GetAsync($"{prefix.TrimEnd('/')}/api/requests/{Uri.EscapeDataString(id)}", cancellationToken);
            if (answer.StatusCode == System.Net.HttpStatusCode.NotFound && attempt < 20)
            {
                // The record is stored as the response completes; a fast client can ask a moment before.
                await Task.Delay(50, cancellationToken);
                continue;
            }

            if (!answer.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"The toolbar answered {(int)answer.StatusCode} for record {id}.");
            }

            using var document = JsonDocument.Parse(await answer.Content.ReadAsStreamAsync(cancellationToken));
            return document.RootElement.Clone();
        }
    }

    /// <summary>
    /// The data <paramref name="panelId"/> stored for the request behind <paramref name="response"/>, deserialized
    /// from the JSON API (camelCase) as <typeparamref name="T"/>; <c>default</c> when the panel stored nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The panel recorded an error for this request.</exception>
    public static async Task<T?> GetPanelDataAsync<T>(this HttpClient client, HttpResponseMessage response, string panelId, string prefix = DefaultPrefix, CancellationToken cancellationToken = default)
    {
        var record = await client.GetToolbarRecordAsync(response, prefix, cancellationToken);
        if (record.TryGetProperty("panelErrors", out var errors) && errors.ValueKind == JsonValueKind.Object
            && errors.TryGetProperty(panelId, out var error))
        {
            throw new InvalidOperationException($"Panel '{panelId}' failed for this request: {error.GetString()}");
        }

        return record.GetProperty("panels").TryGetProperty(panelId, out var data) && data.ValueKind != JsonValueKind.Null
            ? data.Deserialize<T>(s_json)
            : default;
    }

    /// <summary>The panel's HTML for the request behind <paramref name="response"/>, as the toolbar renders it when the panel is opened.</summary>
    public static async Task<string> GetPanelHtmlAsync(this HttpClient client, HttpResponseMessage response, string panelId, string prefix = DefaultPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var id = response.GetToolbarId();
        using var answer = await client.GetAsync($"{prefix.TrimEnd('/')}/requests/{Uri.EscapeDataString(id)}/panels/{Uri.EscapeDataString(panelId)}", cancellationToken);
        if (!answer.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The toolbar answered {(int)answer.StatusCode} for panel '{panelId}' of record {id}.");
        }

        return await answer.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>
    /// POSTs <paramref name="body"/> as JSON to a toolbar endpoint (e.g. <c>/_toolbar/panels/flags/toggle</c>) with the
    /// <c>X-Toolbar-Request: 1</c> header that state-changing toolbar endpoints require, like the toolbar's own script does.
    /// </summary>
    public static Task<HttpResponseMessage> PostToolbarAsync(this HttpClient client, string path, object? body = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: s_json),
        };
        request.Headers.Add("X-Toolbar-Request", "1");
        return client.SendAsync(request, cancellationToken);
    }
}
