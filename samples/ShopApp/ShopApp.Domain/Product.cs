namespace Microsoft.Contoso.Shop.Domain;

/// <summary>A product of the shop.</summary>
public sealed class Product
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public decimal Price { get; set; }

    public int Stock { get; set; }
}
