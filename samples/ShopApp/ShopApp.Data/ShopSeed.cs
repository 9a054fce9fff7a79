using Microsoft.AspNetCore.Identity;
using Microsoft.Contoso.Shop.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Contoso.Shop.Data;

/// <summary>Creates the database and seeds 12 products and one user (<see cref="UserEmail"/> / <see cref="UserPassword"/>).</summary>
public static class ShopSeed
{
    public const string UserEmail = "alice@contoso.test";
    public const string UserPassword = "Shop-Passw0rd!";

    public static async Task CreateAndSeedAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ShopDb>();
        await db.Database.EnsureDeletedAsync();
        await db.Database.EnsureCreatedAsync();
        for (var i = 1; i <= 12; i++)
        {
            db.Products.Add(new Product { Name = $"Product {i}", Price = 10m + i, Stock = i });
        }

        await db.SaveChangesAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var result = await users.CreateAsync(new IdentityUser { UserName = UserEmail, Email = UserEmail, EmailConfirmed = true }, UserPassword);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
