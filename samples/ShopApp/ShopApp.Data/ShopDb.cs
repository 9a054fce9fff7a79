using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.Contoso.Shop.Domain;
using Microsoft.EntityFrameworkCore;

namespace Microsoft.Contoso.Shop.Data;

/// <summary>The shop's database: products and the Identity tables.</summary>
public sealed class ShopDb(DbContextOptions<ShopDb> options) : IdentityDbContext<IdentityUser>(options)
{
    public DbSet<Product> Products => Set<Product>();
}
