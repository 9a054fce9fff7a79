using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Rewrite;
using Microsoft.Contoso.Shop.Data;
using Microsoft.Contoso.Shop.Domain;
using Microsoft.EntityFrameworkCore;
using Toolbar;

namespace Microsoft.Contoso.Shop.Web;

/// <summary>
/// The second sample: a shop in three projects (Web, Domain, Data) whose namespaces start with <c>Microsoft.</c>,
/// with Identity login, MVC, Razor Pages, a minimal API, a page of many static files, a Blazor WebAssembly admin, the developer exception page,
/// URL rewriting, status code pages and a SPA fallback.
/// </summary>
// Not static: test hosts name it as the entry point type (WebApplicationFactory<ShopProgram>).
public sealed class ShopProgram
{
    private ShopProgram()
    {
    }

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddDebugToolbar();
        builder.Services.AddControllersWithViews();
        builder.Services.AddRazorPages();
        builder.Services.AddDbContext<ShopDb>(o => o.UseSqlite(builder.Configuration.GetConnectionString("Shop") ?? "Data Source=shop.db"));
        builder.Services.AddScoped<ProductRepository>();
        builder.Services.AddIdentityCore<IdentityUser>(o => o.Password.RequiredLength = 8)
            .AddEntityFrameworkStores<ShopDb>()
            .AddSignInManager();
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies(o =>
            o.ApplicationCookie?.Configure(c => c.LoginPath = "/Account/Login"));
        builder.Services.AddAuthorization();

        var app = builder.Build();
        await ShopSeed.CreateAndSeedAsync(app.Services);

        app.UseDebugToolbar();
        // Old catalog links are rewritten to the products pages; the toolbar shows both paths.
        app.UseRewriter(new RewriteOptions().AddRewrite(@"^catalog/(\d+)$", "products/details/$1", skipRemainingRules: true));
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        // The Blazor WebAssembly admin's framework files (runtime, assemblies) under /admin/_framework.
        app.UseBlazorFrameworkFiles("/admin");
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapControllerRoute("default", "{controller=Home}/{action=Index}/{id?}");
        app.MapRazorPages();
        app.MapGet("/api/products", async (ProductRepository products, CancellationToken ct) =>
            (await products.ListAsync(ct)).Select(p => new { p.Id, p.Name, p.Price }));
        // Throws from the Domain project: the developer exception page shows it, with the toolbar.
        app.MapGet("/boom", () => PriceCalculator.LineTotal(new Product { Name = "Teapot", Price = 5, Stock = 1 }, 3));
        app.MapGet("/status/{code:int}", (int code) => Results.Content(
            $"<!DOCTYPE html><html><head><title>Status {code}</title></head><body><h1>Status {code}</h1><p>Sorry.</p></body></html>", "text/html"));
        // The single-page app under /app: every path without a file extension answers its index.html.
        app.MapFallbackToFile("app/{*path:nonfile}", "app/index.html");
        // The Blazor WebAssembly admin: its client-side routes answer its index.html.
        app.MapFallbackToFile("admin/{*path:nonfile}", "admin/index.html");
        await app.RunAsync();
    }
}
