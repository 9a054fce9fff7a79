using Microsoft.Extensions.DependencyInjection;

namespace Toolbar;

/// <summary>Panel registration on an <see cref="IToolbarBuilder"/>.</summary>
public static class ToolbarBuilderExtensions
{
    /// <summary>
    /// Adds a panel after the ones already registered: registration order is toolbar order, and a second add of
    /// the same type is ignored. The toolbar takes the panel from the app's services when it is registered there
    /// (one instance for the toolbar and the app), otherwise creates it once with constructor injection.
    /// </summary>
    /// <typeparam name="TPanel">The panel type.</typeparam>
    /// <param name="builder">The toolbar builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static IToolbarBuilder AddPanel<TPanel>(this IToolbarBuilder builder) where TPanel : ToolbarPanel
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<ToolbarOptions>(o => o.Panels.Add<TPanel>());
        return builder;
    }
}
