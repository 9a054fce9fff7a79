using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SampleApp.Data;

namespace SampleApp.ViewComponents;

/// <summary>A view component: how many products the catalog has.</summary>
public sealed class CategoryCountViewComponent(CatalogDb db) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() => View(await db.Products.CountAsync());
}
