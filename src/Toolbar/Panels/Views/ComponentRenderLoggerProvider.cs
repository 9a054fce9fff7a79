using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Toolbar.Panels.Views;

/// <summary>
/// Reads the Razor component renderer's own debug events ("Initializing component 3 (App.Card) as child of 2",
/// "Rendering component 3"), which name every component with its parent: the component tree of static server
/// rendering (<c>MapRazorComponents</c>, <c>RazorComponentResult</c>, the <c>&lt;component&gt;</c> tag helper,
/// <c>Html.RenderComponentAsync</c>, <c>HtmlRenderer</c>). A logging filter rule for this provider only turns the
/// renderer's debug level on for it; the app's other providers keep their levels and never see these events. Its
/// logger says it is enabled only inside a request the views panel tracks, so elsewhere the renderer skips them.
/// </summary>
[ProviderAlias("ToolbarViews")]
internal sealed class ComponentRenderLoggerProvider(ToolbarTracking tracking) : ILoggerProvider
{
    /// <summary>The renderer's log category (<c>Renderer</c> logs under its full type name).</summary>
    public const string RendererCategory = "Microsoft.AspNetCore.Components.RenderTree.Renderer";

    private readonly ComponentRenderLogger _logger = new();

    // When no request can ever be tracked (toolbar off, or not Development) the renderer's category gets the null logger too.
    public ILogger CreateLogger(string categoryName) =>
        categoryName == RendererCategory && tracking.CanTrackAny ? _logger : NullLogger.Instance;

    public void Dispose()
    {
    }
}
