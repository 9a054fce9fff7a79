using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using Toolbar.Tests.Infrastructure;

namespace Toolbar.Tests.Panels.Routes;

/// <summary>
/// A test app whose every endpoint answers with its own name (header <c>X-Endpoint</c> and body), with
/// constraints, optional and catch-all parameters, method and host restrictions, an ambiguous pair and a
/// controller. Shared by the tests of one class; start it once.
/// </summary>
public sealed class RoutesTestApp : IAsyncLifetime
{
    public const string AmbiguousBody = "ambiguous";

    public WebApplication App { get; private set; } = default!;

    public HttpClient Client { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        // The agreement tests send Hosts of their own: allowed by name, as a user browsing a dev box by another name would.
        builder.Services.AddDebugToolbar(o => o.AllowedHosts.Add("*.example.com"));
        builder.Services.AddControllers().AddApplicationPart(typeof(WidgetsController).Assembly);
        RemoteAddressStartupFilter.AddFirst(builder.Services, () => IPAddress.Loopback);
        var app = builder.Build();
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (ex.GetType().Name == "AmbiguousMatchException" && !context.Response.HasStarted)
            {
                // What a developer exception page would show: the routing system refused to choose.
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync(AmbiguousBody);
            }
        });
        app.UseDebugToolbar();
        app.UseRouting();

        Map(app.MapGet("/products", Named("products-list")), "products-list");
        Map(app.MapPost("/products", Named("product-create")), "product-create");
        Map(app.MapGet("/products/{id:int}", Named("product-by-id")), "product-by-id");
        Map(app.MapGet("/products/{slug:alpha}", Named("product-by-slug")), "product-by-slug");
        Map(app.MapPut("/products/{id:int}", Named("product-update")), "product-update");
        Map(app.MapDelete("/products/{id:int:min(1)}", Named("product-delete")), "product-delete");
        Map(app.MapGet("/files/{**path}", Named("files")), "files");
        Map(app.MapGet("/docs/{page?}", Named("docs")), "docs");
        Map(app.MapGet("/orders/{year:int:range(2000,2100)}/{month:int?}", Named("orders")), "orders");
        Map(app.MapGet("/search/{term:minlength(3)}", Named("search")), "search");
        Map(app.MapGet("/users/{id:guid}", Named("user-by-guid")), "user-by-guid");
        Map(app.MapGet("/users/me", Named("user-me")), "user-me");
        Map(app.MapGet("/tenant", Named("tenant-host")).RequireHost("tenant.example.com"), "tenant-host");
        Map(app.MapGet("/tenant", Named("tenant-any")), "tenant-any");
        Map(app.MapMethods("/items/{id}", ["GET", "HEAD"], Named("items")), "items");
        Map(app.MapGet("/clash/{a}", Named("clash-a")), "clash-a");
        Map(app.MapGet("/clash/{b}", Named("clash-b")), "clash-b");
        app.MapControllers();

        await app.StartAsync();
        App = app;
        Client = app.GetTestServer().CreateClient();
    }

    /// <summary>Patterns and methods of the app's own endpoints (the independent truth for the route map).</summary>
    public static readonly (string Pattern, string Methods)[] ExpectedMap =
    [
        ("/products", "GET"), ("/products", "POST"), ("/products/{id:int}", "GET"), ("/products/{slug:alpha}", "GET"),
        ("/products/{id:int}", "PUT"), ("/products/{id:int:min(1)}", "DELETE"), ("/files/{**path}", "GET"), ("/docs/{page?}", "GET"),
        ("/orders/{year:int:range(2000,2100)}/{month:int?}", "GET"), ("/search/{term:minlength(3)}", "GET"),
        ("/users/{id:guid}", "GET"), ("/users/me", "GET"), ("/tenant", "GET"), ("/tenant", "GET"), ("/items/{id}", "GET,HEAD"),
        ("/clash/{a}", "GET"), ("/clash/{b}", "GET"),
        ("/api/widgets", "GET"), ("/api/widgets/{id:int}", "GET"), ("/api/widgets", "POST"),
    ];

    private static Delegate Named(string name) => (HttpContext context) =>
    {
        context.Response.Headers["X-Endpoint"] = name;
        return Results.Text(name);
    };

    private static void Map(IEndpointConventionBuilder endpoint, string name) => endpoint.WithName(name);

    /// <summary>GETs the tester's answer.</summary>
    public async Task<JsonElement> TestAsync(string method, string path, string? host = null)
    {
        var url = $"/_toolbar/panels/routes/match?method={Uri.EscapeDataString(method)}&path={Uri.EscapeDataString(path)}"
            + (host is null ? "" : "&host=" + Uri.EscapeDataString(host));
        var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<JsonElement> GetRecordAsync(string id)
    {
        // A HEAD response reaches the client when it starts (there is no body to read to its end), which can be before
        // the toolbar has stored the record: the same short wait the toolbar's own script allows.
        for (var attempt = 0; ; attempt++)
        {
            using var response = await Client.GetAsync($"/_toolbar/api/requests/{id}");
            if (response.StatusCode == HttpStatusCode.NotFound && attempt < 50)
            {
                await Task.Delay(100);
                continue;
            }

            response.EnsureSuccessStatusCode();
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
