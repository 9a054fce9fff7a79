using Microsoft.EntityFrameworkCore;

namespace SampleApp.Data;

public sealed class Category
{
    public int Id { get; set; }

    public string Name { get; set; } = "";
}

public sealed class Product
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public decimal Price { get; set; }

    public int CategoryId { get; set; }

    public Category? Category { get; set; }
}

public sealed class CatalogDb(DbContextOptions<CatalogDb> options) : DbContext(options)
{
    public DbSet<Category> Categories => Set<Category>();

    public DbSet<Product> Products => Set<Product>();

    /// <summary>Creates the database and seeds 10 categories and 50 products, once; on servers also the product_count routine.</summary>
    public static void CreateAndSeed(CatalogDb db, SampleDatabase? database = null)
    {
        db.Database.EnsureCreated();
        switch (database?.Kind)
        {
            case "postgres":
                db.Database.ExecuteSqlRaw("CREATE OR REPLACE FUNCTION product_count(category integer) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM \"Products\" WHERE \"CategoryId\" = category $$");
                break;
            case "mysql":
                db.Database.ExecuteSqlRaw("DROP PROCEDURE IF EXISTS product_count");
                db.Database.ExecuteSqlRaw("CREATE PROCEDURE product_count(IN category INT) SELECT COUNT(*) FROM `Products` WHERE `CategoryId` = category");
                break;
        }

        if (db.Categories.Any())
        {
            return;
        }

        var categories = Enumerable.Range(1, 10).Select(i => new Category { Id = i, Name = $"Category {i}" }).ToList();
        db.Categories.AddRange(categories);
        db.Products.AddRange(Enumerable.Range(1, 50).Select(i => new Product
        {
            Id = i,
            Name = $"Product {i}",
            Price = 5m + i * 1.25m,
            CategoryId = ((i - 1) % 10) + 1,
        }));
        db.SaveChanges();
    }
}
