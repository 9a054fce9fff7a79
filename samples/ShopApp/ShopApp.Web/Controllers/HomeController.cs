using Microsoft.AspNetCore.Mvc;

namespace Microsoft.Contoso.Shop.Web.Controllers;

public sealed class HomeController : Controller
{
    public IActionResult Index() => View();
}
