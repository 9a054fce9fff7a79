using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Toolbar;

/// <summary>One call of a <see cref="ToolbarMcpTool"/>: its arguments and what a tool needs to answer.</summary>
public sealed class ToolbarMcpCall
{
    internal ToolbarMcpCall(HttpContext httpContext, JsonElement arguments)
    {
        HttpContext = httpContext;
        Arguments = arguments;
    }

    /// <summary>The MCP request (already allowed by the toolbar's access policy).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The app's services.</summary>
    public IServiceProvider Services => HttpContext.RequestServices;

    /// <summary>The arguments the agent passed (a JSON object, possibly empty).</summary>
    public JsonElement Arguments { get; }

    /// <summary>The toolbar's record store.</summary>
    public IToolbarStore Store => Services.GetRequiredService<IToolbarStore>();

    /// <summary>A string argument, or <c>null</c> when absent or null.</summary>
    /// <param name="name">Argument name.</param>
    /// <exception cref="ToolbarMcpException">The argument is not a string.</exception>
    public string? GetString(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new ToolbarMcpException($"Argument '{name}' must be a string.");
    }

    /// <summary>A string argument that must be present and not empty.</summary>
    /// <param name="name">Argument name.</param>
    /// <exception cref="ToolbarMcpException">The argument is missing, empty or not a string.</exception>
    public string GetRequiredString(string name) =>
        GetString(name) is { Length: > 0 } value ? value : throw new ToolbarMcpException($"Argument '{name}' is required.");

    /// <summary>An integer argument (a JSON number or a numeric string), or <paramref name="fallback"/> when absent.</summary>
    /// <param name="name">Argument name.</param>
    /// <param name="fallback">The value when the argument is absent.</param>
    /// <param name="min">Smallest allowed value.</param>
    /// <param name="max">Largest allowed value.</param>
    /// <exception cref="ToolbarMcpException">The argument is not a whole number in range.</exception>
    public int GetInt(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!TryGet(name, out var value))
        {
            return fallback;
        }

        int result;
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt32(out result),
            JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out result),
            _ => (result = 0) == 1,
        };
        if (!ok || result < min || result > max)
        {
            throw new ToolbarMcpException($"Argument '{name}' must be a whole number from {min} to {max}.");
        }

        return result;
    }

    /// <summary>
    /// The record named by the argument <paramref name="name"/> (a record id), or the newest stored record when the
    /// argument is absent (optionally the newest whose data has <paramref name="panelId"/>).
    /// </summary>
    /// <param name="name">Argument name of the record id.</param>
    /// <param name="panelId">With no id: take the newest record that has data for this panel.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <exception cref="ToolbarMcpException">No such record.</exception>
    public async ValueTask<RequestRecord> GetRecordAsync(string name = "requestId", string? panelId = null, CancellationToken cancellationToken = default)
    {
        var id = GetString(name);
        if (!string.IsNullOrEmpty(id))
        {
            return await Store.GetAsync(id, cancellationToken)
                ?? throw new ToolbarMcpException($"No stored request has the id '{id}'. Call list_requests for the ids that are stored.");
        }

        await foreach (var record in GetStoredRecordsAsync(cancellationToken))
        {
            if (panelId is null || record.GetPanelData(panelId) is not null)
            {
                return record;
            }
        }

        throw new ToolbarMcpException(panelId is null
            ? "No request is stored yet: make a request to the app first."
            : $"No stored request has data for the '{panelId}' panel.");
    }

    /// <summary>The stored records, newest first, read one at a time (a tool that needs only the first few stops early).</summary>
    /// <param name="cancellationToken">Cancels the walk.</param>
    public async IAsyncEnumerable<RequestRecord> GetStoredRecordsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var summary in await Store.ListAsync(cancellationToken))
        {
            if (await Store.GetAsync(summary.Id, cancellationToken) is { } record)
            {
                yield return record;
            }
        }
    }

    private bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return Arguments.ValueKind == JsonValueKind.Object
            && Arguments.TryGetProperty(name, out value)
            && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
    }
}
