using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SampleApp.Data;

namespace SampleApp.Controllers;

/// <summary>An MVC controller page (for the views panel): a view, its layout and a view component.</summary>
[Route("mvc/catalog")]
public sealed class CatalogController(CatalogDb db) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var categories = await db.Categories.OrderBy(c => c.Id).Select(c => c.Name).ToListAsync();
        return View(new CatalogViewModel(categories));
    }
}
