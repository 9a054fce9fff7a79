using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Toolbar.Testing;

/// <summary>
/// Performance and hygiene budgets for requests the toolbar recorded, asserted in one line in an integration test:
/// <code>
/// await client.AssertToolbarBudgetAsync(response, ToolbarBudget.Create().NoNPlusOne().MaxQueries(3).NoExceptions());
/// </code>
/// A failing budget throws <see cref="ToolbarBudgetException"/> whose message is a report: the offending statements
/// with their count, parameters and app call site, the allocation figure, the exception.
/// </summary>
/// <remarks>
/// Budgets read the record through the toolbar's JSON API, so they work against any app the test can reach: a
/// <c>WebApplicationFactory</c> host with <see cref="ToolbarTestHostExtensions.UseDebugToolbarRecording"/>, or a
/// running server. For a block of several requests, use <see cref="ToolbarScenario"/>: counts (queries, bytes)
/// add up over its requests, and the other rules apply to each request.
/// </remarks>
public sealed class ToolbarBudget
{
    private readonly List<Rule> _rules = [];

    private ToolbarBudget()
    {
    }

    /// <summary>An empty budget: add rules with the methods of this type.</summary>
    public static ToolbarBudget Create() => new();

    /// <summary>No N+1 query group (a statement repeated with different values) in any request.</summary>
    public ToolbarBudget NoNPlusOne() => Add("N+1 queries", (records, report) =>
    {
        var found = false;
        foreach (var record in records)
        {
            if (Sql(record) is not { } sql || !sql.TryGetProperty("nPlusOne", out var groups))
            {
                continue;
            }

            foreach (var group in groups.EnumerateArray())
            {
                found = true;
                report.Line(1, $"{Int(group, "count")} × {Str(group, "sql")}", Label(record));
                report.Line(2, "call site: " + (Str(group, "callSite") ?? "(unknown)"));
                if (group.TryGetProperty("indexes", out var indexes) && Queries(sql) is { } queries)
                {
                    var values = indexes.EnumerateArray().Take(5).Select(i => queries.ElementAtOrDefault(i.GetInt32()))
                        .Where(q => q.ValueKind == JsonValueKind.Object).Select(Parameters).Where(p => p.Length > 0).ToList();
                    if (values.Count > 0)
                    {
                        report.Line(2, "parameters: " + string.Join(" | ", values) + (indexes.GetArrayLength() > values.Count ? " | …" : ""));
                    }
                }
            }
        }

        return found ? "N+1 query groups found (budget: none)" : null;
    });

    /// <summary>At most <paramref name="max"/> SQL statements (over all requests of a scenario).</summary>
    /// <param name="max">The most statements allowed.</param>
    public ToolbarBudget MaxQueries(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return Add("query count", (records, report) =>
        {
            var total = records.Sum(r => Sql(r) is { } sql ? Int(sql, "count") : 0);
            if (total <= max)
            {
                return null;
            }

            foreach (var record in records)
            {
                foreach (var query in Queries(Sql(record)) ?? [])
                {
                    report.Line(1, $"{Num(query, "durationMs"):0.###} ms  {Str(query, "sql")}", Label(record));
                    if (Parameters(query) is { Length: > 0 } parameters)
                    {
                        report.Line(2, "parameters: " + parameters);
                    }

                    if (CallSite(query) is { } site)
                    {
                        report.Line(2, "at " + site);
                    }
                }
            }

            return $"{total} queries (budget: at most {max})";
        });
    }

    /// <summary>No duplicate statement (same SQL and same parameters run twice in one request).</summary>
    public ToolbarBudget NoDuplicateQueries() => Add("duplicate queries", (records, report) =>
    {
        var duplicates = 0;
        foreach (var record in records)
        {
            foreach (var query in Queries(Sql(record)) ?? [])
            {
                if (Int(query, "duplicateCount") > 1)
                {
                    duplicates++;
                    report.Line(1, $"{Int(query, "duplicateCount")} × {Str(query, "sql")}", Label(record));
                    if (Parameters(query) is { Length: > 0 } parameters)
                    {
                        report.Line(2, "parameters: " + parameters);
                    }

                    if (CallSite(query) is { } site)
                    {
                        report.Line(2, "at " + site);
                    }
                }
            }
        }

        return duplicates > 0 ? $"{duplicates} statements ran more than once with the same parameters (budget: none)" : null;
    });

    /// <summary>At most <paramref name="max"/> bytes allocated by the request's own code (over all requests of a scenario).</summary>
    /// <param name="max">The most bytes allowed.</param>
    public ToolbarBudget MaxAllocatedBytes(long max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return Add("allocation", (records, report) =>
        {
            long total = 0;
            foreach (var record in records)
            {
                if (Panel(record, "memory") is { } memory && memory.TryGetProperty("allocatedBytes", out var bytes) && bytes.ValueKind == JsonValueKind.Number)
                {
                    total += bytes.GetInt64();
                    report.Line(1, $"{Bytes(bytes.GetInt64())} allocated", Label(record));
                }
            }

            return total > max ? $"{Bytes(total)} allocated (budget: at most {Bytes(max)})" : null;
        });
    }

    /// <summary>No exception thrown while the request ran, handled or not.</summary>
    public ToolbarBudget NoExceptions() => Add("exceptions", (records, report) =>
    {
        var count = 0;
        foreach (var record in records)
        {
            if (Panel(record, "exceptions") is not { } data || !data.TryGetProperty("exceptions", out var list))
            {
                continue;
            }

            foreach (var exception in list.EnumerateArray())
            {
                count++;
                var handled = exception.TryGetProperty("handled", out var h) && h.ValueKind == JsonValueKind.False ? "failed the request" : "handled";
                report.Line(1, $"{Str(exception, "type")}: {Str(exception, "message")} ({handled})", Label(record));
                foreach (var frame in Frames(exception, "stack").Take(8))
                {
                    report.Line(2, "at " + frame);
                }
            }
        }

        return count > 0 ? $"{count} exceptions (budget: none)" : null;
    });

    /// <summary>No log record at Warning level or above.</summary>
    public ToolbarBudget NoWarningLogs() => Add("warning logs", (records, report) =>
    {
        var count = 0;
        foreach (var record in records)
        {
            if (Panel(record, "logs") is not { } data || !data.TryGetProperty("records", out var list))
            {
                continue;
            }

            foreach (var log in list.EnumerateArray())
            {
                var level = Str(log, "level") ?? "";
                if (level.Equals("warning", StringComparison.OrdinalIgnoreCase) || level.Equals("error", StringComparison.OrdinalIgnoreCase)
                    || level.Equals("critical", StringComparison.OrdinalIgnoreCase))
                {
                    count++;
                    report.Line(1, $"{level} {Str(log, "category")}: {Str(log, "message")}", Label(record));
                }
            }
        }

        return count > 0 ? $"{count} warning or error log records (budget: none)" : null;
    });

    /// <summary>No blocking wait (sync-over-async, <c>.Result</c>, <c>.Wait()</c>, lock contention) on the request's threads.</summary>
    public ToolbarBudget NoBlockingWaits() => Add("blocking waits", (records, report) =>
    {
        var count = 0;
        foreach (var record in records)
        {
            if (Panel(record, "threads") is not { } data || !data.TryGetProperty("blockingWaits", out var list))
            {
                continue;
            }

            foreach (var wait in list.EnumerateArray())
            {
                count++;
                report.Line(1, $"{Str(wait, "kind")} for {Num(wait, "durationMs"):0.#} ms", Label(record));
                foreach (var frame in Frames(wait, "stack").Take(6))
                {
                    report.Line(2, "at " + frame);
                }
            }
        }

        return count > 0 ? $"{count} blocking waits (budget: none)" : null;
    });

    /// <summary>
    /// Each request's server time under <paramref name="max"/>. Timing is noisy on shared test machines: give a
    /// generous budget that catches regressions of an order of magnitude, not of a few percent.
    /// </summary>
    /// <param name="max">The longest server time allowed for one request.</param>
    public ToolbarBudget MaxDuration(TimeSpan max) => Add("duration", (records, report) =>
    {
        var slow = records.Where(r => Num(r, "durationMs") > max.TotalMilliseconds).ToList();
        foreach (var record in slow)
        {
            report.Line(1, $"{Num(record, "durationMs"):0.#} ms", Label(record));
        }

        return slow.Count > 0 ? $"{slow.Count} requests slower than {max.TotalMilliseconds:0.#} ms (budget)" : null;
    });

    /// <summary>
    /// The budget's violations for these records (as the toolbar's JSON API returns them), as a report; <c>null</c>
    /// when every rule holds.
    /// </summary>
    /// <param name="records">Records of the toolbar's JSON API (<c>GET {prefix}/api/requests/{id}</c>).</param>
    public string? Check(IReadOnlyList<JsonElement> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var report = new Report();
        var failed = 0;
        foreach (var rule in _rules)
        {
            var details = new Report();
            if (rule.Check(records, details) is { } headline)
            {
                failed++;
                report.Line(0, "✗ " + headline);
                report.Append(details);
            }
        }

        if (failed == 0)
        {
            return null;
        }

        var what = records.Count == 1 ? Label(records[0]) : $"{records.Count} requests";
        return $"Toolbar budget exceeded for {what}: {failed} of {_rules.Count} rules failed.{Environment.NewLine}{report}";
    }

    private ToolbarBudget Add(string name, Func<IReadOnlyList<JsonElement>, Report, string?> check)
    {
        _rules.Add(new Rule(name, check));
        return this;
    }

    private static JsonElement? Panel(JsonElement record, string id) =>
        record.TryGetProperty("panels", out var panels) && panels.ValueKind == JsonValueKind.Object
            && panels.TryGetProperty(id, out var data) && data.ValueKind == JsonValueKind.Object ? data : null;

    private static JsonElement? Sql(JsonElement record) => Panel(record, "sql");

    private static List<JsonElement>? Queries(JsonElement? sql) =>
        sql is { } s && s.TryGetProperty("queries", out var queries) && queries.ValueKind == JsonValueKind.Array ? queries.EnumerateArray().ToList() : null;

    private static string Parameters(JsonElement query) =>
        query.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Array
            ? string.Join(", ", parameters.EnumerateArray().Select(p => $"{Str(p, "name")}={Str(p, "value") ?? "NULL"}"))
            : "";

    private static string? CallSite(JsonElement query) => Frames(query, "stack").FirstOrDefault();

    /// <summary>Frames as text, whether the toolbar stored them as strings or as objects with file and line.</summary>
    private static IEnumerable<string> Frames(JsonElement owner, string property)
    {
        if (!owner.TryGetProperty(property, out var frames) || frames.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var frame in frames.EnumerateArray())
        {
            if (frame.ValueKind == JsonValueKind.String)
            {
                yield return frame.GetString()!;
            }
            else if (frame.ValueKind == JsonValueKind.Object)
            {
                var method = Str(frame, "method") ?? Str(frame, "name") ?? Str(frame, "text") ?? frame.GetRawText();
                var file = Str(frame, "file");
                yield return file is null ? method : $"{method} in {file}:{Int(frame, "line")}";
            }
        }
    }

    private static string Label(JsonElement record) =>
        $"{Str(record, "method")} {Str(record, "path")}{Str(record, "queryString")} → {Int(record, "statusCode")} (record {Str(record, "id")})";

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : 0;

    private static double Num(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : 0;

    private static string Bytes(long bytes) => bytes >= 1024 * 1024
        ? (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
        : bytes >= 1024 ? (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB" : bytes.ToString(CultureInfo.InvariantCulture) + " B";

    private sealed record Rule(string Name, Func<IReadOnlyList<JsonElement>, Report, string?> Check);

    /// <summary>An indented report; a line about a request names it once per group.</summary>
    private sealed class Report
    {
        private readonly StringBuilder _text = new();
        private string? _lastRequest;

        public void Line(int depth, string text, string? request = null)
        {
            if (request is not null && request != _lastRequest)
            {
                _lastRequest = request;
                _text.Append(' ', depth * 2).Append("in ").AppendLine(request);
            }

            _text.Append(' ', (depth + 1) * 2).AppendLine(text);
        }

        public void Append(Report other) => _text.Append(other._text);

        public override string ToString() => _text.ToString();
    }
}
