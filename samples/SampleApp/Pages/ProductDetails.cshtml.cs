using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SampleApp.Data;

namespace SampleApp.Pages;

public sealed class ProductDetailsModel(CatalogDb db) : PageModel
{
    public Product? Product { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id)
    {
        Product = await db.Products.Include(p => p.Category).FirstOrDefaultAsync(p => p.Id == id);
        return Product is null ? NotFound() : Page();
    }
}
