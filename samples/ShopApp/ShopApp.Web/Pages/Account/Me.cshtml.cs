using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Microsoft.Contoso.Shop.Web.Pages.Account;

[Authorize]
public sealed class MeModel : PageModel
{
    public void OnGet()
    {
    }
}
