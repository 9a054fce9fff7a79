using System.Text.Encodings.Web;
using Dapper;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.EntityFrameworkCore;
using SampleApp;
using SampleApp.Data;
using Toolbar;
using ToolbarFlags;

var builder = WebApplication.CreateBuilder(args);

// The two lines that add the toolbar (plus UseDebugToolbar below).
builder.Services.AddDebugToolbar();
// A third-party panel (samples/FlagsPanel) is one more line; it also provides IFeatureFlags to the app.
builder.Services.AddFlagsPanel();

builder.Services.AddRazorPages();
// MVC controllers with views (/mvc/catalog) for the views panel.
builder.Services.AddControllersWithViews();
// Razor components rendered on the server (/components, and the <component> tag helper of /mvc/catalog).
builder.Services.AddRazorComponents();
builder.Services.AddHttpClient();
builder.Services.AddResponseCompression(o =>
{
    o.EnableForHttps = true;
    o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["text/html"]);
});
// Sample:Database = sqlite (default) | postgres | mysql, with ConnectionStrings:Main pointing at the server.
var database = SampleDatabase.From(builder.Configuration);
builder.Services.AddSingleton(database);
builder.Services.AddDbContext<CatalogDb>(database.Configure);
builder.Services.AddSingleton<RetainedItems>();
// Caches for /cached (registered after AddDebugToolbar: the cache panel sees them either way).
builder.Services.AddMemoryCache();
builder.Services.AddDistributedMemoryCache();
builder.Services.AddHybridCache();
builder.Services.AddOutputCache();

var app = builder.Build();

using (var scope = app.Services.CreateScope())
{
    CatalogDb.CreateAndSeed(scope.ServiceProvider.GetRequiredService<CatalogDb>(), database);
}

// Compression outside, toolbar inside: the toolbar sees plain HTML and compression packs the result.
app.UseResponseCompression();
app.UseDebugToolbar();
// Inside the toolbar: the output cache stores the app's own HTML, and each served copy gets its own toolbar.
app.UseOutputCache();

app.UseStaticFiles();
app.UseAntiforgery();
app.MapRazorPages();
app.MapControllers();
app.MapRazorComponents<SampleApp.Components.App>();
// One Razor component as an endpoint's result (no page, no layout).
app.MapGet("/components/card", () => new Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<SampleApp.Components.ProductCard>(new { Name = "Sample card", Price = 1.5m }));

app.MapGet("/api/products", async (CatalogDb db) =>
    await db.Products.OrderBy(p => p.Id).Select(p => new { p.Id, p.Name, p.Price, p.CategoryId }).ToListAsync());

// Raw ADO.NET (no EF Core): Dapper over a ProfiledDbConnection around the provider's connection shows these commands in the SQL panel too.
app.MapGet("/products/raw", async (SampleDatabase db, string? q) =>
{
    await using var connection = db.CreateProfiled();
    await connection.OpenAsync();
    var rows = await connection.QueryAsync<(int Id, string Name, string Category)>(db.RawProductsSql, new { pattern = $"%{q}%" });
    var items = string.Concat(rows.Select(r => "<li>" + HtmlEncoder.Default.Encode($"{r.Id}: {r.Name} ({r.Category})") + "</li>"));
    return Results.Content(SamplePages.Page("Products (raw ADO.NET)", $"<p>One query with Dapper through <code>ProfiledDbConnection</code> ({db.Kind}).</p><ul>{items}</ul>"), "text/html; charset=utf-8");
});

// What a database engineer looks for in a profiler's SQL view: transactions, a failing statement, a batch, a function or procedure call.
app.MapGet("/sql/tour", async (SampleDatabase db, CatalogDb catalog) =>
{
    var notes = await SqlTour.RunAsync(db, catalog);
    return Results.Content(SamplePages.Page($"SQL tour ({db.Kind})", "<ul>" + string.Concat(notes.Select(n => "<li>" + HtmlEncoder.Default.Encode(n) + "</li>")) + "</ul>"), "text/html; charset=utf-8");
});

app.MapGet("/slow", async (HttpContext http, IHttpClientFactory clients) =>
{
    // Profiler.Step: timed, nested steps in the timing panel (and in Server-Timing for the top-level one).
    string json;
    using (Profiler.Step("outer"))
    {
        await Task.Delay(20);
        using (Profiler.Step("inner"))
        {
            await Task.Delay(30);
        }

        var client = clients.CreateClient();
        json = await client.GetStringAsync($"{http.Request.Scheme}://{http.Request.Host}/api/products");
    }

    return Results.Content(SamplePages.Page("Slow page", $"<p>Waited for outer and inner work, then fetched {json.Length} bytes from /api/products.</p>"), "text/html; charset=utf-8");
});

app.MapGet("/memory/retain", (RetainedItems items, int? count) => Results.Json(new { retained = items.Retain(count ?? 1000) }));
app.MapGet("/memory/release", (RetainedItems items) => Results.Json(new { retained = items.Release() }));

app.MapGet("/many", async (CatalogDb db, int? n) =>
{
    var count = Math.Clamp(n ?? 1000, 0, 100_000);
    var total = 0;
    for (var i = 0; i < count; i++)
    {
        var id = (i % 50) + 1;
        total += await db.Products.Where(p => p.Id == id).Select(p => p.CategoryId).FirstAsync();
    }

    return Results.Content(SamplePages.Page("Many queries", $"<p>Ran {count} queries (checksum {total}).</p>"), "text/html; charset=utf-8");
});

app.MapGet("/error", (HttpContext _) => ThrowSampleError());

app.MapGet("/big", (int? kb) =>
{
    var size = Math.Clamp(kb ?? 1024, 1, 64 * 1024);
    var row = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.</p>\n";
    var rows = string.Concat(Enumerable.Repeat(row, Math.Max(1, size * 1024 / row.Length)));
    return Results.Content(SamplePages.Page($"Big page ({size} KB)", rows), "text/html; charset=utf-8");
});

app.MapGet("/stream", async (HttpContext http) =>
{
    http.Response.ContentType = "text/html; charset=utf-8";
    await http.Response.WriteAsync(SamplePages.Head("Streamed page"));
    for (var i = 1; i <= 5; i++)
    {
        await http.Response.WriteAsync($"<p>Chunk {i} of 5</p>\n");
        await http.Response.Body.FlushAsync();
        await Task.Delay(100);
    }

    await http.Response.WriteAsync(SamplePages.Tail);
});

app.MapGet("/csp", (HttpContext http) =>
{
    http.Response.Headers.ContentSecurityPolicy = "default-src 'self'";
    return Results.Content(SamplePages.Page("Strict CSP", "<p>This page is served with <code>Content-Security-Policy: default-src 'self'</code>. The toolbar still works: no inline script or style.</p>"), "text/html; charset=utf-8");
});

// Sync over async: .Result on a task that is still running blocks a thread-pool thread (the threads panel shows it).
// ?kind=lock waits for a lock another thread holds for ms; ?kind=semaphore waits ms on a SemaphoreSlim released later.
app.MapGet("/blocking", (int? ms, string? kind) =>
{
    var delay = Math.Clamp(ms ?? 100, 0, 10_000);
    var started = System.Diagnostics.Stopwatch.GetTimestamp();
    var how = kind switch
    {
        "lock" => BlockingWork.WaitForLock(delay),
        "semaphore" => BlockingWork.WaitForSemaphore(delay),
        _ => BlockingWork.WaitForDelay(delay),
    };
    var blockedMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
    return Results.Content(SamplePages.Page("Blocking", $"<p>Blocked a thread-pool thread for <span data-blocked-ms=\"{blockedMs}\">{blockedMs}</span> ms (asked for {delay} ms) with {how}. The threads panel shows the wait and where it happened.</p>"), "text/html; charset=utf-8");
});

// Cache calls for the cache panel; ?output=1 goes through output caching (varying by that parameter only).
app.MapGet("/cached", CachedPage.Handle)
    .CacheOutput(policy => policy.With(c => c.HttpContext.Request.Query.ContainsKey("output")).SetVaryByQuery("output"));

app.MapGet("/cpu", async (int? ms) =>
{
    // About N ms of CPU in SampleApp.Hot.Spin between two short awaits: profile it with the header X-Toolbar-Profile: cpu.
    var spin = Math.Clamp(ms ?? 200, 0, 10_000);
    var result = await Hot.RunAsync(spin);
    return Results.Content(SamplePages.Page("CPU", $"<p>Spun for about {spin} ms in <code>SampleApp.Hot.Spin</code> (result {result}).</p>"), "text/html; charset=utf-8");
});

// A redirect: the history panel keeps the 302 reachable after the browser followed it.
app.MapGet("/redirect", () => Results.Redirect("/products"));

app.Run();

static IResult ThrowSampleError() => throw new InvalidOperationException("Sample failure from /error: this exception is thrown on purpose.");

/// <summary>Entry point marker for tests (WebApplicationFactory).</summary>
public partial class Program
{
}

namespace SampleApp
{
    /// <summary>Objects kept alive on purpose, to show the memory panel's snapshot diff.</summary>
    public sealed class RetainedItem
    {
        public RetainedItem(int number) => Payload = new byte[64 + (number % 16)];

        public byte[] Payload { get; }
    }

    public sealed class RetainedItems
    {
        private readonly List<RetainedItem> _items = [];

        public int Retain(int count)
        {
            lock (_items)
            {
                for (var i = 0; i < Math.Clamp(count, 0, 5_000_000); i++)
                {
                    _items.Add(new RetainedItem(i));
                }

                return _items.Count;
            }
        }

        public int Release()
        {
            lock (_items)
            {
                _items.Clear();
                _items.TrimExcess();
                return _items.Count;
            }
        }
    }

    /// <summary>The sync-over-async mistake, in one known method.</summary>
    public static class BlockingWork
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public static string WaitForDelay(int ms) => DelayedValue(ms).Result > -1 ? "<code>.Result</code> on <code>Task.Delay</code>" : "";

        /// <summary>Blocks on a lock that another thread holds for about <paramref name="ms"/> ms.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public static string WaitForLock(int ms)
        {
            var gate = new object();
            var held = false;
            var holder = new Thread(() =>
            {
                lock (gate)
                {
                    Volatile.Write(ref held, true);
                    Thread.Sleep(ms);
                }
            })
            { IsBackground = true };
            holder.Start();
            // Spins (no wait of its own) until the other thread holds the lock.
            SpinWait.SpinUntil(() => Volatile.Read(ref held));
            lock (gate)
            {
                return "waiting for a <code>lock</code> another thread held";
            }
        }

        /// <summary>Blocks on a semaphore that a timer releases after about <paramref name="ms"/> ms.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public static string WaitForSemaphore(int ms)
        {
            using var semaphore = new SemaphoreSlim(0);
            using var release = new Timer(_ => semaphore.Release(), null, ms, Timeout.Infinite);
            semaphore.Wait();
            return "<code>SemaphoreSlim.Wait</code> on a semaphore released later";
        }

        private static async Task<int> DelayedValue(int ms)
        {
            await Task.Delay(ms);
            return ms;
        }
    }

    internal static class SamplePages
    {
        public const string Tail = "<p><a href=\"/\">Home</a></p>\n</main>\n</body>\n</html>\n";

        public static string Head(string title) =>
            $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{HtmlEncoder.Default.Encode(title)} · Sample</title>\n<link rel=\"icon\" href=\"/favicon.svg\">\n<link rel=\"stylesheet\" href=\"/site.css\">\n</head>\n<body>\n<main>\n<h1>{HtmlEncoder.Default.Encode(title)}</h1>\n";

        public static string Page(string title, string bodyHtml) => Head(title) + bodyHtml + "\n" + Tail;
    }
}
