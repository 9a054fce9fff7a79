using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Microsoft.Contoso.Shop.Web.Pages;

/// <summary>A page that loads many static files (and one fetch), like the home page of a real shop.</summary>
public sealed class GalleryModel : PageModel
{
    public const int Styles = 16;
    public const int Scripts = 16;
    public const int Images = 24;

    public void OnGet()
    {
    }
}
