using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Toolbar.Internal;
using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Core;

public class AssetTests
{
    [Theory]
    [InlineData("/css/site.css", "text/css", true)]
    [InlineData("/js/app.js", "text/javascript; charset=utf-8", true)]
    [InlineData("/img/logo.svg", "image/svg+xml", true)]
    [InlineData("/fonts/a.woff2", "font/woff2", true)]
    [InlineData("/_framework/dotnet.native.wasm", "application/wasm", true)]
    [InlineData("/_framework/App.dll", "application/octet-stream", true)]
    [InlineData("/_framework/blazor.boot.json", "application/json", true)]
    [InlineData("/_content/Lib/lib.css", null, true)]
    [InlineData("/js/app.js.map", null, true)]
    [InlineData("/css/site.css", null, true)] // a 304 has no content type
    [InlineData("/app/index.html", "text/html", false)] // a SPA fallback's page
    [InlineData("/products", "text/html; charset=utf-8", false)]
    [InlineData("/api/products", "application/json; charset=utf-8", false)]
    [InlineData("/api/report.xml", "application/xml", false)]
    [InlineData("/data/items", null, false)]
    public void Assets_are_told_by_content_type_framework_folder_and_extension(string path, string? contentType, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        Assert.Equal(expected, AssetClassifier.IsAsset(context, contentType));
    }

    [Fact]
    public async Task Assets_never_evict_pages_and_keep_their_own_bound()
    {
        var store = new InMemoryToolbarStore(Options.Create(new ToolbarOptions { MaxRequests = 3, MaxAssetRequests = 2 }));
        var page = new RequestRecord("GET", "/gallery", "");
        var fetch = new RequestRecord("GET", "/api/products", "") { IsAjax = true };
        await store.AddAsync(page);
        await store.AddAsync(fetch);
        var assets = Enumerable.Range(0, 10).Select(i => new RequestRecord("GET", $"/img/{i}.png", "") { IsAsset = true }).ToList();
        foreach (var asset in assets)
        {
            await store.AddAsync(asset);
        }

        Assert.NotNull(await store.GetAsync(page.Id));
        Assert.NotNull(await store.GetAsync(fetch.Id));
        var listed = await store.ListAsync();
        Assert.Equal(4, listed.Count);
        Assert.Equal([assets[9].Id, assets[8].Id, fetch.Id, page.Id], listed.Select(r => r.Id));
        Assert.Null(await store.GetAsync(assets[7].Id));
    }

    [Fact]
    public async Task Asset_responses_are_not_stored_and_carry_no_id_by_default()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = ctx.Request.Path.StartsWithSegments("/css") ? "text/css" : "text/plain";
            await ctx.Response.WriteAsync("body { color: red }");
        });
        var css = await app.Client.GetAsync("/css/site.css");
        var text = await app.Client.GetAsync("/notes");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.False(css.Headers.Contains("X-Toolbar-Id"));
        Assert.True(text.Headers.Contains("X-Toolbar-Id"));

        var list = JsonDocument.Parse(await app.Client.GetStringAsync("/_toolbar/api/requests")).RootElement;
        Assert.Equal(["/notes"], list.EnumerateArray().Select(r => r.GetProperty("path").GetString()));
    }

    [Fact]
    public async Task The_option_stores_assets_marked_as_such()
    {
        await using var app = await MiniApp.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "image/png";
            await ctx.Response.Body.WriteAsync(new byte[] { 1, 2, 3 });
        }, o => o.StoreAssets = true);
        var png = await app.Client.GetAsync("/img/a.png");
        var id = png.Headers.GetValues("X-Toolbar-Id").Single();
        var list = JsonDocument.Parse(await app.Client.GetStringAsync("/_toolbar/api/requests")).RootElement;
        var entry = Assert.Single(list.EnumerateArray());
        Assert.Equal(id, entry.GetProperty("id").GetString());
        Assert.True(entry.GetProperty("isAsset").GetBoolean());
    }
}
