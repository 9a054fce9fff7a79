using System.Net.Http.Json;
using System.Text.Json;

namespace Toolbar.Testing;

/// <summary>
/// A block of test code that makes several requests, asserted as one against a <see cref="ToolbarBudget"/>:
/// <code>
/// var scenario = await ToolbarScenario.StartAsync(client);
/// await client.GetAsync("/");
/// await client.GetAsync("/products?fixed=true");
/// await scenario.AssertBudgetAsync(ToolbarBudget.Create().MaxQueries(5).NoNPlusOne());
/// </code>
/// The scenario's requests are the records the toolbar stored after <see cref="StartAsync"/> (toolbar URLs are
/// never recorded): run a scenario against a host that no other test uses at the same time.
/// </summary>
public sealed class ToolbarScenario
{
    private readonly HttpClient _client;
    private readonly string _prefix;
    private readonly HashSet<string> _before;

    private ToolbarScenario(HttpClient client, string prefix, HashSet<string> before)
    {
        _client = client;
        _prefix = prefix;
        _before = before;
    }

    /// <summary>Starts a scenario: records stored from now on belong to it.</summary>
    /// <param name="client">A client of the app under test.</param>
    /// <param name="prefix">The toolbar's URL prefix.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<ToolbarScenario> StartAsync(HttpClient client, string prefix = ToolbarHttpClientExtensions.DefaultPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var before = (await ListIdsAsync(client, prefix, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        return new ToolbarScenario(client, prefix.TrimEnd('/'), before);
    }

    /// <summary>The records of the scenario's requests, oldest first, as the toolbar's JSON API returns them.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<JsonElement>> GetRecordsAsync(CancellationToken cancellationToken = default)
    {
        var ids = (await ListIdsAsync(_client, _prefix, cancellationToken)).Where(id => !_before.Contains(id)).Reverse().ToList();
        var records = new List<JsonElement>(ids.Count);
        foreach (var id in ids)
        {
            records.Add(await ToolbarHttpClientExtensions.GetRecordByIdAsync(_client, id, _prefix, cancellationToken));
        }

        return records;
    }

    /// <summary>Throws <see cref="ToolbarBudgetException"/> with a report when the scenario's requests exceed <paramref name="budget"/>.</summary>
    /// <param name="budget">The budget.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task AssertBudgetAsync(ToolbarBudget budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var records = await GetRecordsAsync(cancellationToken);
        if (records.Count == 0)
        {
            throw new ToolbarBudgetException("The scenario recorded no request: is the toolbar recording this host (UseDebugToolbarRecording)?");
        }

        if (budget.Check(records) is { } report)
        {
            throw new ToolbarBudgetException(report);
        }
    }

    private static async Task<List<string>> ListIdsAsync(HttpClient client, string prefix, CancellationToken cancellationToken)
    {
        var list = await client.GetFromJsonAsync<List<JsonElement>>($"{prefix.TrimEnd('/')}/api/requests", cancellationToken) ?? [];
        return list.Select(e => e.GetProperty("id").GetString()!).ToList();
    }
}
