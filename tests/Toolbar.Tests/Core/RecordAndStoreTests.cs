using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

public class RecordAndStoreTests
{
    [Fact]
    public async Task Records_of_fifty_parallel_requests_never_mix()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            var marker = ctx.Request.Query["marker"].ToString();
            // Hop threads so that the ambient record must flow with the execution context.
            await Task.Yield();
            await Task.Delay(Random.Shared.Next(1, 20));
            var current = RequestRecord.Current!;
            ctx.Response.ContentType = "text/plain";
            await ctx.Response.WriteAsync($"{marker}|{current.Id}|{current.QueryString}");
        }, o => o.MaxRequests = 200);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            var response = await app.Client.GetAsync($"/?marker=m{i}");
            return (Marker: $"m{i}", Id: response.Headers.GetValues("X-Toolbar-Id").Single(), Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.Equal(50, responses.Select(r => r.Id).Distinct().Count());
        foreach (var (marker, id, body) in responses)
        {
            Assert.Equal($"{marker}|{id}|?marker={marker}", body);
            var record = JsonDocument.Parse(await app.Client.GetStringAsync($"/_toolbar/api/requests/{id}")).RootElement;
            Assert.Equal($"?marker={marker}", record.GetProperty("queryString").GetString());
            Assert.Equal($"?marker={marker}", record.GetProperty("panels").GetProperty("request").GetProperty("queryString").GetString());
        }
    }

    [Fact]
    public async Task Store_keeps_only_the_newest_max_requests()
    {
        await using var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("ok"), o => o.MaxRequests = 5);
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add((await app.Client.GetAsync($"/{i}")).Headers.GetValues("X-Toolbar-Id").Single());
        }

        var list = JsonDocument.Parse(await app.Client.GetStringAsync("/_toolbar/api/requests")).RootElement;
        Assert.Equal(ids.AsEnumerable().Reverse().Take(5), list.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync($"/_toolbar/api/requests/{ids[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync($"/_toolbar/api/requests/{ids[^1]}")).StatusCode);
    }

    [Fact]
    public async Task Store_is_bounded_by_total_size()
    {
        var store = new InMemoryToolbarStore(Options.Create(new ToolbarOptions { MaxRequests = 1000, MaxStoreBytes = 10_000 }));
        for (var i = 0; i < 50; i++)
        {
            var record = new RequestRecord("GET", "/" + i, "");
            record.AddEstimatedBytes(1_000);
            await store.AddAsync(record);
        }

        Assert.True(store.EstimatedBytes <= 10_000, $"{store.EstimatedBytes} bytes kept");
        Assert.Equal((int)(10_000 / (1_000 + 512)), store.Count);
        var newest = (await store.ListAsync())[0];
        Assert.Equal("/49", newest.Path);
    }

    [Fact]
    public async Task Store_is_thread_safe_under_parallel_adds_and_reads()
    {
        var store = new InMemoryToolbarStore(Options.Create(new ToolbarOptions { MaxRequests = 64 }));
        await Parallel.ForEachAsync(Enumerable.Range(0, 5_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var record = new RequestRecord("GET", "/" + i, "");
            await store.AddAsync(record, ct);
            Assert.Same(record, await store.GetAsync(record.Id, ct) ?? record);
            _ = await store.ListAsync(ct);
        });
        Assert.Equal(64, store.Count);
        Assert.Equal(64, (await store.ListAsync()).Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public async Task Json_api_lists_newest_first_with_contract_fields()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.StatusCode = ctx.Request.Path == "/missing" ? 404 : 200;
            await ctx.Response.WriteAsync("x");
        });
        var first = (await app.Client.GetAsync("/first?a=1")).Headers.GetValues("X-Toolbar-Id").Single();
        var second = (await app.Client.PostAsync("/missing", null)).Headers.GetValues("X-Toolbar-Id").Single();

        var response = await app.Client.GetAsync("/_toolbar/api/requests");
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.Equal([second, first], list.Select(e => e.GetProperty("id").GetString()));
        var newest = list[0];
        Assert.Equal("POST", newest.GetProperty("method").GetString());
        Assert.Equal("/missing", newest.GetProperty("path").GetString());
        Assert.Equal(404, newest.GetProperty("statusCode").GetInt32());
        Assert.True(newest.GetProperty("durationMs").GetDouble() >= 0);
        Assert.True(newest.GetProperty("startedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));

        var detail = JsonDocument.Parse(await app.Client.GetStringAsync($"/_toolbar/api/requests/{first}")).RootElement;
        Assert.Equal(first, detail.GetProperty("id").GetString());
        Assert.Equal("GET", detail.GetProperty("method").GetString());
        Assert.Equal("/first", detail.GetProperty("path").GetString());
        Assert.Equal("?a=1", detail.GetProperty("queryString").GetString());
        Assert.Equal(200, detail.GetProperty("statusCode").GetInt32());
        Assert.Equal(JsonValueKind.Object, detail.GetProperty("panels").ValueKind);
        Assert.Equal("GET", detail.GetProperty("panels").GetProperty("request").GetProperty("method").GetString());
    }

    [Fact]
    public async Task Unknown_record_is_404_and_panel_html_is_served()
    {
        await using var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("x"));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/_toolbar/api/requests/00000000000000000000000000000000")).StatusCode);
        var id = (await app.Client.GetAsync("/hello?who=%3Cscript%3E")).Headers.GetValues("X-Toolbar-Id").Single();
        var html = await app.Client.GetAsync($"/_toolbar/requests/{id}/panels/request");
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        var text = await html.Content.ReadAsStringAsync();
        Assert.Contains("/hello", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", text, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync($"/_toolbar/requests/{id}/panels/nope")).StatusCode);
    }

    [Fact]
    public async Task Failing_store_never_changes_the_app_response()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html";
            await ctx.Response.WriteAsync("<html><body>still here</body></html>");
        }, services: s => s.AddSingleton<IToolbarStore, ThrowingStore>());
        var response = await app.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("<html><body>still here", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_are_served_with_etag_and_revalidate()
    {
        await using var app = await MiniApp.StartAsync(ctx => ctx.Response.WriteAsync("x"));
        var js = await app.Client.GetAsync("/_toolbar/assets/toolbar.js");
        Assert.Equal("text/javascript", js.Content.Headers.ContentType!.MediaType);
        var etag = js.Headers.ETag!;
        var again = new HttpRequestMessage(HttpMethod.Get, "/_toolbar/assets/toolbar.js");
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await app.Client.SendAsync(again)).StatusCode);
        Assert.Equal("text/css", (await app.Client.GetAsync("/_toolbar/assets/toolbar.css")).Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/_toolbar/assets/other.js")).StatusCode);
    }

    private sealed class ThrowingStore : IToolbarStore
    {
        public ValueTask AddAsync(RequestRecord record, CancellationToken cancellationToken = default) => throw new IOException("store down");

        public ValueTask<RequestRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => throw new IOException("store down");

        public ValueTask<bool> UpdateAsync(string id, Func<RequestRecord, bool> update, CancellationToken cancellationToken = default) => throw new IOException("store down");

        public ValueTask<IReadOnlyList<RequestSummary>> ListAsync(CancellationToken cancellationToken = default) => throw new IOException("store down");

        public ValueTask ClearAsync(CancellationToken cancellationToken = default) => throw new IOException("store down");
    }
}
