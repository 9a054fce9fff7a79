using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Toolbar.Panels.Cache;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Cache;

public class CacheDecorationTests
{
    private static async Task<JsonElement> CacheDataAsync(HttpClient client, HttpResponseMessage response)
    {
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var json = await client.GetStringAsync($"/_toolbar/api/requests/{id}");
        return JsonDocument.Parse(json).RootElement.GetProperty("panels").GetProperty("cache").Clone();
    }

    private static async Task MemoryHandler(HttpContext context)
    {
        var cache = context.RequestServices.GetRequiredService<IMemoryCache>();
        cache.TryGetValue("k", out _);
        cache.Set("k", "value");
        cache.TryGetValue("k", out _);
        cache.Remove("k");
        await context.Response.WriteAsync("ok");
    }

    [Fact]
    public async Task A_memory_cache_registered_after_AddDebugToolbar_is_wrapped()
    {
        await using var app = await MiniApp.StartAsync(MemoryHandler, services: s => s.AddMemoryCache());
        Assert.IsType<InstrumentedMemoryCache>(app.Services.GetRequiredService<IMemoryCache>());
        var response = await app.Client.GetAsync("/");
        var cache = await CacheDataAsync(app.Client, response);
        Assert.Equal(["get", "set", "get", "remove"], cache.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("operation").GetString()!).ToArray());
        Assert.Equal(1, cache.GetProperty("hits").GetInt32());
        Assert.Equal(1, cache.GetProperty("misses").GetInt32());
        Assert.Equal(10L, cache.GetProperty("calls")[1].GetProperty("sizeBytes").GetInt64());
    }

    [Fact]
    public async Task A_memory_cache_registered_before_AddDebugToolbar_is_wrapped()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddMemoryCache();
        builder.Services.AddDebugToolbar();
        await using var app = builder.Build();
        var cache = app.Services.GetRequiredService<IMemoryCache>();
        var wrapped = Assert.IsType<InstrumentedMemoryCache>(cache);
        Assert.IsType<MemoryCache>(wrapped.Inner);
    }

    [Theory]
    [InlineData("instance")]
    [InlineData("type")]
    [InlineData("factory")]
    public async Task Any_distributed_cache_registration_is_wrapped_once_and_every_call_reaches_it_once(string registration)
    {
        var counting = new CountingDistributedCache();
        await using var app = await MiniApp.StartAsync(
            async context =>
            {
                var cache = context.RequestServices.GetRequiredService<IDistributedCache>();
                await cache.GetAsync("a");
                await cache.SetAsync("a", [1, 2, 3], new DistributedCacheEntryOptions());
                cache.Get("a");
                await cache.RemoveAsync("a");
                await context.Response.WriteAsync("ok");
            },
            services: s =>
            {
                _ = registration switch
                {
                    "instance" => s.AddSingleton<IDistributedCache>(counting),
                    "type" => s.AddSingleton<IDistributedCache, CountingDistributedCache>(),
                    _ => s.AddSingleton<IDistributedCache>(_ => counting),
                };

                // A second AddDebugToolbar must not wrap the wrapper.
                s.AddDebugToolbar();
            });

        var resolved = app.Services.GetRequiredService<IDistributedCache>();
        var wrapper = Assert.IsAssignableFrom<IInstrumentedCache>(resolved);
        var inner = Assert.IsType<CountingDistributedCache>(wrapper.Inner);

        // HybridCache looks for the buffer API on the registered service: the wrapper keeps it.
        Assert.IsAssignableFrom<IBufferDistributedCache>(resolved);

        var response = await app.Client.GetAsync("/");
        var cache = await CacheDataAsync(app.Client, response);
        Assert.Equal(2, inner.Gets);
        Assert.Equal(1, inner.Sets);
        Assert.Equal(1, inner.Removes);
        var calls = cache.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("operation").GetString() + ":" + c.GetProperty("hit")).ToArray();
        Assert.Equal(["get:False", "set:", "get:True", "remove:"], calls);
        Assert.Equal(3L, cache.GetProperty("calls")[1].GetProperty("sizeBytes").GetInt64());
    }

    [Fact]
    public async Task The_container_disposes_the_caches_it_created_and_never_an_instance_the_app_gave_it()
    {
        var given = new CountingDistributedCache();
        CountingDistributedCache created;
        {
            await using var app = await MiniApp.StartAsync(_ => Task.CompletedTask, services: s => s.AddSingleton<IDistributedCache>(given));
            _ = app.Services.GetRequiredService<IDistributedCache>();
        }

        Assert.False(given.Disposed);
        {
            await using var app = await MiniApp.StartAsync(_ => Task.CompletedTask, services: s => s.AddSingleton<IDistributedCache, CountingDistributedCache>());
            created = (CountingDistributedCache)((IInstrumentedCache)app.Services.GetRequiredService<IDistributedCache>()).Inner;
        }

        Assert.True(created.Disposed);
    }

    [Fact]
    public async Task Outside_a_tracked_request_a_cache_call_allocates_nothing_and_is_not_recorded()
    {
        var counting = new CountingDistributedCache();
        await using var app = await MiniApp.StartAsync(_ => Task.CompletedTask, services: s =>
        {
            s.AddMemoryCache();
            s.AddSingleton<IDistributedCache>(counting);
        });
        var memory = app.Services.GetRequiredService<IMemoryCache>();
        var distributed = app.Services.GetRequiredService<IDistributedCache>();
        Assert.IsType<InstrumentedMemoryCache>(memory);
        memory.Set("k", "v");
        Assert.Null(RequestRecord.Current);

        // Warm up, then count this thread's allocations over many calls.
        memory.TryGetValue("k", out _);
        distributed.Get("none");
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            memory.TryGetValue("k", out _);
            distributed.Get("none");
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1001, counting.Gets);
    }

    [Fact]
    public async Task With_the_panel_switched_off_calls_pass_through_and_nothing_is_recorded()
    {
        await using var app = await MiniApp.StartAsync(MemoryHandler, configure: o => o.DisabledPanels.Add("cache"), services: s => s.AddMemoryCache());
        var response = await app.Client.GetAsync("/");
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        var id = response.Headers.GetValues("X-Toolbar-Id").Single();
        var record = JsonDocument.Parse(await app.Client.GetStringAsync($"/_toolbar/api/requests/{id}")).RootElement;
        Assert.False(record.GetProperty("panels").TryGetProperty("cache", out _));
    }

    [Fact]
    public async Task A_key_fetched_twice_is_reported_and_secret_parts_of_keys_are_masked()
    {
        await using var app = await MiniApp.StartAsync(
            async context =>
            {
                var cache = context.RequestServices.GetRequiredService<IMemoryCache>();
                cache.TryGetValue("user:42", out _);
                cache.TryGetValue("user:42", out _);
                cache.TryGetValue("session:token=abc123", out _);
                await context.Response.WriteAsync("ok");
            },
            services: s => s.AddMemoryCache());
        var response = await app.Client.GetAsync("/");
        var cache = await CacheDataAsync(app.Client, response);
        var repeat = Assert.Single(cache.GetProperty("repeatedKeys").EnumerateArray());
        Assert.Equal("user:42", repeat.GetProperty("key").GetString());
        Assert.Equal(2, repeat.GetProperty("count").GetInt32());
        Assert.Equal("session:token=" + SecretMasker.Mask, cache.GetProperty("calls")[2].GetProperty("key").GetString());
        Assert.DoesNotContain("abc123", cache.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("products:7", "products:7")]
    [InlineData("apikey:abc:rest", "apikey:********:rest")]
    [InlineData("GET\u001eHTTP\u001eLOCALHOST/X\u001eQ\u001ePASSWORD=hunter2", "GET|HTTP|LOCALHOST/X|Q|PASSWORD=********")]
    [InlineData("plain", "plain")]
    public void Cache_keys_are_masked_after_secret_looking_names(string key, string expected)
    {
        var masker = new SecretMasker(["password", "token", "secret", "apikey"]);
        Assert.Equal(expected, CacheKeyText.Mask(key, masker));
    }

    [Fact]
    public async Task Output_caching_refused_for_a_post_says_why()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddDebugToolbar();
        builder.Services.AddOutputCache();
        await using var app = builder.Build();
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
            return next(context);
        });
        app.UseDebugToolbar();
        app.UseOutputCache();
        app.MapMethods("/page", ["GET", "POST"], (HttpContext c) => Results.Content("<html><body>page</body></html>", "text/html")).CacheOutput();
        app.MapGet("/cookie", (HttpContext c) =>
        {
            c.Response.Cookies.Append("a", "b");
            return Results.Content("<html><body>cookie</body></html>", "text/html");
        }).CacheOutput();
        await app.StartAsync();
        var client = app.GetTestServer().CreateClient();
        Assert.IsAssignableFrom<IInstrumentedCache>(app.Services.GetRequiredService<IOutputCacheStore>());

        var post = await client.PostAsync("/page", null);
        var postCache = await CacheDataAsync(client, post);
        Assert.Contains("POST", postCache.GetProperty("outputCache").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(postCache.GetProperty("outputCache").GetProperty("stored").GetBoolean());

        var cookie = await client.GetAsync("/cookie");
        var cookieCache = await CacheDataAsync(client, cookie);
        Assert.Contains("cookie", cookieCache.GetProperty("outputCache").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(cookieCache.GetProperty("outputCache").GetProperty("stored").GetBoolean());
        await app.StopAsync();
    }
}
