using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Stores;

[Collection(RedisCollection.Name)]
public partial class RedisStoreTests
{
    private const string Page = "<html><body><h1>Orders</h1></body></html>";
    private const string ApiJson = "{\"orders\":[1,2,3]}";

    // The app: an HTML page and a JSON endpoint whose bytes the tests know exactly.
    private static Task<MiniApp> StartInstanceAsync(RedisServer redis, LogCollector? logs = null) => MiniApp.StartAsync(
        async ctx =>
        {
            if (ctx.Request.Path == "/api/orders")
            {
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(ApiJson);
                return;
            }

            ctx.Response.ContentType = "text/html; charset=utf-8";
            await ctx.Response.WriteAsync(Page);
        },
        configure: o =>
        {
            o.Store = "redis";
            o.Redis = redis.Configuration;
        },
        services: s =>
        {
            if (logs is not null)
            {
                s.AddSingleton<ILoggerProvider>(logs);
            }
        });

    [GeneratedRegex("<div id=\"toolbar-root\"[^>]*></div><script src=\"/_toolbar/assets/toolbar.js\"[^>]*></script>")]
    private static partial Regex Snippet();

    private static async Task<string> RequestPageAsync(MiniApp app, string path = "/orders")
    {
        using var response = await app.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Toolbar-Id").Single();
    }

    private static async Task<HttpResponseMessage> EventuallyOkAsync(HttpClient client, string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await client.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(100);
        }
    }

    // The shared list is written just after the record, so wait for the list itself.
    private static async Task<JsonElement> ListedAsync(MiniApp app, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var list = await app.Client.GetFromJsonAsync<JsonElement>("/_toolbar/api/requests");
            if (list.EnumerateArray().Any(e => e.GetProperty("id").GetString() == id) || DateTime.UtcNow > deadline)
            {
                return list;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Record_written_by_one_instance_is_served_by_another_as_json()
    {
        using var redis = await RedisServer.StartAsync();
        await using var a = await StartInstanceAsync(redis);
        await using var b = await StartInstanceAsync(redis);
        var id = await RequestPageAsync(a, "/orders?page=2");

        using var response = await EventuallyOkAsync(b.Client, $"/_toolbar/api/requests/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("/orders", json.GetProperty("path").GetString());
        Assert.Equal("?page=2", json.GetProperty("queryString").GetString());
        Assert.Equal(200, json.GetProperty("statusCode").GetInt32());
        Assert.Equal("/orders", json.GetProperty("panels").GetProperty("request").GetProperty("path").GetString());
    }

    [Fact]
    public async Task Record_written_by_one_instance_renders_in_another_instances_panel()
    {
        using var redis = await RedisServer.StartAsync();
        await using var a = await StartInstanceAsync(redis);
        await using var b = await StartInstanceAsync(redis);
        var id = await RequestPageAsync(a, "/orders/from-a");

        using var response = await EventuallyOkAsync(b.Client, $"/_toolbar/requests/{id}/panels/request");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/orders/from-a", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_list_is_shared_newest_first_across_instances()
    {
        using var redis = await RedisServer.StartAsync();
        await using var a = await StartInstanceAsync(redis);
        await using var b = await StartInstanceAsync(redis);
        var first = await RequestPageAsync(a, "/one");
        await ListedAsync(b, first);
        var second = await RequestPageAsync(b, "/two");
        var list = await ListedAsync(a, second);

        Assert.Equal([second, first], list.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(["/two", "/one"], list.EnumerateArray().Select(e => e.GetProperty("path").GetString()));
    }

    [Fact]
    public async Task History_panel_of_one_instance_lists_requests_of_the_other_with_badges()
    {
        using var redis = await RedisServer.StartAsync();
        await using var a = await StartInstanceAsync(redis);
        await using var b = await StartInstanceAsync(redis);
        var id = await RequestPageAsync(a, "/from-a");
        await ListedAsync(b, id);

        var json = await b.Client.GetFromJsonAsync<JsonElement>("/_toolbar/panels/history/entries");

        var entry = Assert.Single(json.GetProperty("entries").EnumerateArray());
        Assert.Equal(id, entry.GetProperty("id").GetString());
        Assert.Equal("/from-a", entry.GetProperty("path").GetString());
        Assert.Equal("GET 200", entry.GetProperty("badges").GetProperty("request").GetString());
    }

    [Fact]
    public async Task Navigation_timing_posted_to_one_instance_is_kept_in_the_shared_store()
    {
        using var redis = await RedisServer.StartAsync();
        await using var a = await StartInstanceAsync(redis);
        await using var b = await StartInstanceAsync(redis);
        var id = await RequestPageAsync(a, "/timed");
        await ListedAsync(b, id);

        using var post = new HttpRequestMessage(HttpMethod.Post, "/_toolbar/panels/timing/navigation")
        {
            Content = JsonContent.Create(new { requestId = id, ttfbMs = 12.5, domContentLoadedMs = 80.5, loadMs = 120 }),
        };
        post.Headers.Add("X-Toolbar-Request", "1");
        using var posted = await b.Client.SendAsync(post);

        // Read back through the other instance: the figures must be in Redis, not only in b's deserialized copy.
        Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        var json = await a.Client.GetFromJsonAsync<JsonElement>($"/_toolbar/api/requests/{id}");
        var navigation = json.GetProperty("panels").GetProperty("timing").GetProperty("navigation");
        Assert.Equal(12.5, navigation.GetProperty("ttfbMs").GetDouble());
        Assert.Equal(80.5, navigation.GetProperty("domContentLoadedMs").GetDouble());
        Assert.Equal(120, navigation.GetProperty("loadMs").GetDouble());
        Assert.Equal("/timed", json.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Redis_down_leaves_app_responses_unchanged()
    {
        using var redis = await RedisServer.StartAsync();
        await using var a = await StartInstanceAsync(redis);
        await RequestPageAsync(a);
        redis.Kill();

        for (var i = 0; i < 5; i++)
        {
            using var page = await a.Client.GetAsync("/orders");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal(Page, Snippet().Replace(await page.Content.ReadAsStringAsync(), "", 1));
            using var api = await a.Client.GetAsync("/api/orders");
            Assert.Equal(HttpStatusCode.OK, api.StatusCode);
            Assert.Equal(ApiJson, await api.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Redis_down_makes_toolbar_endpoints_answer_store_unavailable()
    {
        using var redis = await RedisServer.StartAsync();
        await using var a = await StartInstanceAsync(redis);
        await using var b = await StartInstanceAsync(redis);
        redis.Kill();
        var id = await RequestPageAsync(a);

        using var nav = await b.Client.GetAsync($"/_toolbar/api/requests/{id}/toolbar");
        using var list = await b.Client.GetAsync("/_toolbar/api/requests");
        using var panel = await b.Client.GetAsync($"/_toolbar/requests/{id}/panels/request");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, nav.StatusCode);
        var error = await nav.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(error.GetProperty("storeUnavailable").GetBoolean());
        Assert.Contains("record store (distributed cache) is unavailable", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, list.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, panel.StatusCode);
        Assert.Equal("text/html; charset=utf-8", panel.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("<div class=\"tb-error\" role=\"alert\" data-tb-store-unavailable>", await panel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outage_is_logged_once_and_recovery_once()
    {
        using var redis = await RedisServer.StartAsync();
        var logs = new LogCollector();
        await using var a = await StartInstanceAsync(redis, logs);
        await RequestPageAsync(a);
        redis.Kill();
        for (var i = 0; i < 10; i++)
        {
            await RequestPageAsync(a);
            (await a.Client.GetAsync("/_toolbar/api/requests")).Dispose();
        }

        await redis.RestartAsync();
        using var back = await EventuallyOkAsync(a.Client, "/_toolbar/api/requests");

        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(1, logs.Count(LogLevel.Error, "distributed record store is unavailable"));
        Assert.Equal(1, logs.Count(LogLevel.Information, "distributed record store is available again"));
    }

    [Fact]
    public async Task Records_flow_again_after_redis_restarts()
    {
        using var redis = await RedisServer.StartAsync();
        await using var a = await StartInstanceAsync(redis);
        await using var b = await StartInstanceAsync(redis);
        redis.Kill();
        await RequestPageAsync(a);
        await redis.RestartAsync();

        // Requests made while the store is still backing off are not kept; keep asking until one is.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? servedId = null;
        while (servedId is null && DateTime.UtcNow < deadline)
        {
            var id = await RequestPageAsync(a, "/after-restart");
            await Task.Delay(200);
            using var response = await b.Client.GetAsync($"/_toolbar/api/requests/{id}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                servedId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
                Assert.Equal(id, servedId);
            }
        }

        Assert.NotNull(servedId);
    }
}
