using System.Text.Encodings.Web;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;

namespace SampleApp;

/// <summary>
/// <c>/cached</c>: reads one value through <see cref="IMemoryCache"/> and one through <see cref="IDistributedCache"/>
/// (a miss and a set on the first request, hits afterwards); <c>?hybrid=1</c> adds a <see cref="HybridCache"/> read;
/// <c>?output=1</c> is served through output caching (see Program.cs).
/// </summary>
internal static class CachedPage
{
    public const string MemoryKey = "sample:greeting";
    public const string DistributedKey = "sample:motd";
    public const string HybridKey = "sample:hybrid-greeting";

    public static async Task<IResult> Handle(HttpContext http, IMemoryCache memory, IDistributedCache distributed)
    {
        if (!memory.TryGetValue(MemoryKey, out string? greeting))
        {
            greeting = $"Hello, computed at {DateTimeOffset.UtcNow:O}";
            memory.Set(MemoryKey, greeting, TimeSpan.FromMinutes(10));
        }

        var motd = await distributed.GetStringAsync(DistributedKey);
        if (motd is null)
        {
            motd = $"Message of the day, stored at {DateTimeOffset.UtcNow:O}";
            await distributed.SetStringAsync(DistributedKey, motd, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) });
        }

        var body = $"<p>From IMemoryCache: <code>{HtmlEncoder.Default.Encode(greeting!)}</code></p>\n<p>From IDistributedCache: <code>{HtmlEncoder.Default.Encode(motd)}</code></p>\n";
        if (http.Request.Query.ContainsKey("hybrid"))
        {
            var hybrid = http.RequestServices.GetRequiredService<HybridCache>();
            var value = await hybrid.GetOrCreateAsync(HybridKey, static _ => ValueTask.FromResult($"Hybrid value, made at {DateTimeOffset.UtcNow:O}"));
            body += $"<p>From HybridCache: <code>{HtmlEncoder.Default.Encode(value)}</code></p>\n";
        }

        if (http.Request.Query.ContainsKey("output"))
        {
            body += $"<p>This page goes through output caching: rendered at <code>{DateTimeOffset.UtcNow:O}</code>; reload and the time stays.</p>\n";
        }

        body += "<p>Reload the page: the second request hits. Open the Cache panel.</p>";
        return Results.Content(SamplePages.Page("Cached values", body), "text/html; charset=utf-8");
    }
}
