using System.Text.Json;
using System.Text.RegularExpressions;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Cache;

/// <summary>The cache panel against the sample's /cached page, whose cache calls are known from its code.</summary>
public class CacheSampleTests
{
    private static async Task<(string Html, JsonElement Cache)> GetAsync(SampleAppFactory factory, HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        var html = await response.Content.ReadAsStringAsync();
        var record = await factory.GetRecordAsync(client, response.Headers.GetValues("X-Toolbar-Id").Single());
        return (html, record.GetProperty("panels").GetProperty("cache"));
    }

    private static string[] Calls(JsonElement cache, bool includeVia = false) =>
        cache.GetProperty("calls").EnumerateArray()
            .Where(c => includeVia || c.GetProperty("via").ValueKind == JsonValueKind.Null)
            .Select(c => $"{c.GetProperty("backend").GetString()} {c.GetProperty("operation").GetString()} {c.GetProperty("key").GetString()} {Hit(c)}")
            .ToArray();

    private static string Hit(JsonElement call) => call.GetProperty("hit").ValueKind switch
    {
        JsonValueKind.True => "hit",
        JsonValueKind.False => "miss",
        _ => "-",
    };

    [Fact]
    public async Task First_request_misses_and_sets_both_caches_and_the_second_hits()
    {
        await using var factory = new SampleAppFactory();
        var client = factory.CreateClient();

        var (firstHtml, first) = await GetAsync(factory, client, "/cached");
        Assert.Equal(
            ["memory get sample:greeting miss", "memory set sample:greeting -", "distributed get sample:motd miss", "distributed set sample:motd -"],
            Calls(first, includeVia: true));
        Assert.Equal(0, first.GetProperty("hits").GetInt32());
        Assert.Equal(2, first.GetProperty("misses").GetInt32());

        var (secondHtml, second) = await GetAsync(factory, client, "/cached");
        Assert.Equal(["memory get sample:greeting hit", "distributed get sample:motd hit"], Calls(second, includeVia: true));
        Assert.Equal(2, second.GetProperty("hits").GetInt32());
        Assert.Equal(0, second.GetProperty("misses").GetInt32());
        Assert.Equal(1.0, second.GetProperty("hitRatio").GetDouble());

        // Independent evidence of the hits: the page shows the values computed by the first request.
        static string Values(string html) => string.Join("|", Regex.Matches(html, "<code>([^<]*)</code>").Select(m => m.Groups[1].Value));
        Assert.Equal(Values(firstHtml), Values(secondHtml));

        // The sizes the panel shows are those of the values: a UTF-8 string in the distributed cache, a .NET string in memory.
        var motd = Regex.Match(firstHtml, "IDistributedCache: <code>([^<]*)</code>").Groups[1].Value;
        var set = first.GetProperty("calls")[3];
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(System.Net.WebUtility.HtmlDecode(motd)), set.GetProperty("sizeBytes").GetInt64());
        Assert.All(first.GetProperty("calls").EnumerateArray(), c => Assert.Equal("SampleApp.CachedPage.Handle", c.GetProperty("caller").GetString()));
        Assert.All(first.GetProperty("calls").EnumerateArray(), c => Assert.True(c.GetProperty("durationMs").GetDouble() >= 0));

        // File and line of each caller, from the sample's symbols, against the sample's source text.
        var source = File.ReadAllLines(Path.Combine(RepoRoot(), "samples", "SampleApp", "CachedPage.cs"));
        int LineOf(string text) => Array.FindIndex(source, l => l.Contains(text, StringComparison.Ordinal)) + 1;
        var expectedLines = new[] { LineOf("memory.TryGetValue("), LineOf("memory.Set("), LineOf("distributed.GetStringAsync("), LineOf("distributed.SetStringAsync(") };
        var frames = first.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("callerFrame")).ToList();
        Assert.All(frames, f => Assert.EndsWith("CachedPage.cs", f.GetProperty("file").GetString(), StringComparison.Ordinal));
        Assert.Equal(expectedLines, frames.Select(f => f.GetProperty("line").GetInt32()).ToArray());
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Toolbar.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    [Fact]
    public async Task HybridCache_get_or_create_is_a_miss_then_a_hit_and_its_own_level_calls_are_not_counted()
    {
        await using var factory = new SampleAppFactory();
        var client = factory.CreateClient();

        var (firstHtml, first) = await GetAsync(factory, client, "/cached?hybrid=1");
        Assert.Contains("hybrid get-or-create sample:hybrid-greeting miss", Calls(first));
        Assert.Equal(0, first.GetProperty("hits").GetInt32());
        Assert.Equal(3, first.GetProperty("misses").GetInt32());

        // HybridCache read and wrote its memory and distributed levels for that call: listed, marked, not counted.
        var via = first.GetProperty("calls").EnumerateArray().Where(c => c.GetProperty("via").GetString() == "hybrid").ToList();
        Assert.Contains(via, c => c.GetProperty("backend").GetString() == "memory" && c.GetProperty("key").GetString() == "sample:hybrid-greeting");

        var (secondHtml, second) = await GetAsync(factory, client, "/cached?hybrid=1");
        Assert.Equal(
            ["memory get sample:greeting hit", "distributed get sample:motd hit", "hybrid get-or-create sample:hybrid-greeting hit"],
            Calls(second));
        Assert.Equal(3, second.GetProperty("hits").GetInt32());
        var made = Regex.Match(firstHtml, "HybridCache: <code>([^<]*)</code>").Groups[1].Value;
        Assert.Equal(made, Regex.Match(secondHtml, "HybridCache: <code>([^<]*)</code>").Groups[1].Value);
    }

    [Fact]
    public async Task Output_cache_stores_the_first_response_and_serves_the_second_without_running_the_endpoint()
    {
        await using var factory = new SampleAppFactory();
        var client = factory.CreateClient();

        var (firstHtml, first) = await GetAsync(factory, client, "/cached?output=1");
        var firstCalls = Calls(first);
        Assert.StartsWith("output get ", firstCalls[0], StringComparison.Ordinal);
        Assert.EndsWith(" miss", firstCalls[0], StringComparison.Ordinal);
        Assert.StartsWith("output set ", firstCalls[^1], StringComparison.Ordinal);
        var outcome = first.GetProperty("outputCache");
        Assert.True(outcome.GetProperty("stored").GetBoolean());
        Assert.False(outcome.GetProperty("servedFromCache").GetBoolean());

        var (secondHtml, second) = await GetAsync(factory, client, "/cached?output=1");
        var only = Assert.Single(Calls(second));
        Assert.StartsWith("output get ", only, StringComparison.Ordinal);
        Assert.EndsWith(" hit", only, StringComparison.Ordinal);
        Assert.True(second.GetProperty("outputCache").GetProperty("servedFromCache").GetBoolean());

        // Independent evidence: the cached body carries the first request's render time; each copy has its own toolbar.
        static string Rendered(string html) => Regex.Match(html, "rendered at <code>([^<]*)</code>").Groups[1].Value;
        Assert.NotEmpty(Rendered(firstHtml));
        Assert.Equal(Rendered(firstHtml), Rendered(secondHtml));
        Assert.Contains("toolbar-root", secondHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_output_parameter_the_panel_says_output_caching_was_not_enabled()
    {
        await using var factory = new SampleAppFactory();
        var client = factory.CreateClient();
        var (_, cache) = await GetAsync(factory, client, "/cached");
        var outcome = cache.GetProperty("outputCache");
        Assert.False(outcome.GetProperty("enabled").GetBoolean());
        Assert.DoesNotContain(Calls(cache), c => c.StartsWith("output", StringComparison.Ordinal));
    }
}
