using Microsoft.AspNetCore.Mvc;

namespace Toolbar.BrowserTests.Compat;

/// <summary>The MVC compatibility app: a controller rendering a view with a layout.</summary>
public sealed class CompatMvcController : Controller
{
    [HttpGet("mvc/items/{id:int}")]
    public IActionResult Index(int id) => View(new CompatMvcItem(id, $"Item number {id}"));
}

/// <summary>The view model of the MVC compatibility page.</summary>
public sealed record CompatMvcItem(int Id, string Name);
