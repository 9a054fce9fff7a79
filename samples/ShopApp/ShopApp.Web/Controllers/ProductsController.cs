using Microsoft.AspNetCore.Mvc;
using Microsoft.Contoso.Shop.Data;
using Microsoft.Contoso.Shop.Domain;
using Toolbar;

namespace Microsoft.Contoso.Shop.Web.Controllers;

public sealed class ProductsController(ProductRepository products, ILogger<ProductsController> logger) : Controller
{
    public async Task<IActionResult> Index()
    {
        List<Product> list;
        using (Profiler.Step("load products"))
        {
            list = await products.ListAsync(HttpContext.RequestAborted);
        }

        logger.LogWarning("Showing {Count} products", list.Count);
        return View(list);
    }

    public async Task<IActionResult> Details(int id)
    {
        var product = await products.FindAsync(id, HttpContext.RequestAborted);
        return product is null ? NotFound() : View(product);
    }

    /// <summary>Orders more than the stock: the app catches the domain error itself and answers 500 (status code pages render it).</summary>
    public async Task<IActionResult> Order(int id, int quantity = 100)
    {
        var product = await products.FindAsync(id, HttpContext.RequestAborted);
        if (product is null)
        {
            return NotFound();
        }

        try
        {
            return Content(PriceCalculator.LineTotal(product, quantity).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (InvalidOperationException ex)
        {
            logger.LogError(ex, "Order of {Quantity} failed", quantity);
            return StatusCode(StatusCodes.Status500InternalServerError);
        }
    }
}
