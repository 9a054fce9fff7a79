using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SampleApp.Data;
using ToolbarFlags;

namespace SampleApp.Pages;

public sealed class ProductsModel(CatalogDb db, IFeatureFlags flags, ILogger<ProductsModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Fixed { get; set; }

    public List<(int Id, string Name, string Category, decimal Price)> Rows { get; } = [];

    public bool NewProductList { get; private set; }

    public bool ShowPrices { get; private set; }

    public async Task OnGetAsync()
    {
        if (!string.IsNullOrEmpty(Query))
        {
            // Shows up in the toolbar's logs panel for this request.
            logger.LogInformation("Product search for {Term}", Query);
        }

        // Feature flags (FeatureFlags section); toggle them per browser in the toolbar's Flags panel.
        NewProductList = flags.IsEnabled("NewProductList");
        ShowPrices = flags.IsEnabled("ShowPrices");

        if (Fixed)
        {
            // One query: the categories come along with the products.
            var products = await Filtered(db.Products.Include(p => p.Category)).ToListAsync();
            Rows.AddRange(products.Select(p => (p.Id, p.Name, p.Category!.Name, p.Price)));
            return;
        }

        // The N+1 demo: one query for the products, then one per product for its category.
        var list = await Filtered(db.Products.AsNoTracking()).ToListAsync();
        foreach (var product in list)
        {
            var category = await db.Categories.AsNoTracking().Where(c => c.Id == product.CategoryId).Select(c => c.Name).FirstAsync();
            Rows.Add((product.Id, product.Name, category, product.Price));
        }
    }

    private IQueryable<Product> Filtered(IQueryable<Product> products)
    {
        if (!string.IsNullOrEmpty(Query))
        {
            products = products.Where(p => p.Name.Contains(Query));
        }

        return products.OrderBy(p => p.Id).Take(10);
    }
}
