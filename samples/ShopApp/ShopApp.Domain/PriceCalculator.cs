namespace Microsoft.Contoso.Shop.Domain;

/// <summary>Domain rules of the shop; its namespace starts with <c>Microsoft.</c> although it is the app's own code.</summary>
public static class PriceCalculator
{
    /// <summary>Total of an order line; a quantity above the stock is a domain error (the shop's failing page uses it).</summary>
    // Kept out of its callers so the stack names it even in a Release build (the samples double as test fixtures).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static decimal LineTotal(Product product, int quantity)
    {
        ArgumentNullException.ThrowIfNull(product);
        if (quantity > product.Stock)
        {
            throw new InvalidOperationException($"Only {product.Stock} of '{product.Name}' in stock, {quantity} ordered.");
        }

        return product.Price * quantity;
    }
}
