using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Toolbar.BrowserTests.Compat.Pages;

/// <summary>The Razor Pages compatibility page: a GET with a route value and a POST form with antiforgery.</summary>
public sealed class OrdersModel : PageModel
{
    public int Id { get; private set; }

    public string? Saved { get; private set; }

    public void OnGet(int id) => Id = id;

    public void OnPost(int id, string? note)
    {
        Id = id;
        Saved = note;
    }
}
