using Microsoft.Extensions.DependencyInjection;

namespace Toolbar;

/// <summary>
/// Adds panels and their services to the toolbar (returned by <c>AddToolbarCore()</c>). A panel package
/// offers an extension method on this type that registers its services on <see cref="Services"/> and its
/// panel with <see cref="ToolbarBuilderExtensions.AddPanel{TPanel}"/>; the built-in panels are registered
/// exactly that way.
/// </summary>
public interface IToolbarBuilder
{
    /// <summary>The app's services, for the services a panel needs (its options, a logger provider, a collector).</summary>
    IServiceCollection Services { get; }
}
