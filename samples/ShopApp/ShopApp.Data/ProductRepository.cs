using Microsoft.Contoso.Shop.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Microsoft.Contoso.Shop.Data;

/// <summary>Data access of the shop, in its own class library (the SQL panel's call sites point here).</summary>
public sealed class ProductRepository(ShopDb db, ILogger<ProductRepository> logger)
{
    public async Task<List<Product>> ListAsync(CancellationToken cancellationToken = default)
    {
        logger.LogInformation("Listing products");
        return await db.Products.OrderBy(p => p.Id).ToListAsync(cancellationToken);
    }

    public Task<Product?> FindAsync(int id, CancellationToken cancellationToken = default) =>
        db.Products.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
}
