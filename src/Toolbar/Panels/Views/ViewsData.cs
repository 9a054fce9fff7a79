namespace Toolbar.Panels.Views;

/// <summary>Data of the views panel: everything MVC and Razor Pages rendered for the request, nested.</summary>
public sealed class ViewsData
{
    /// <summary>The entries, in the order they started; <see cref="ViewEntry.ParentIndex"/> gives the nesting.</summary>
    public List<ViewEntry> Views { get; set; } = [];

    /// <summary>Number of Razor files and view components rendered (pages, views, layouts, partials, components).</summary>
    public int RenderedCount { get; set; }

    /// <summary>Entries not kept because the per-request cap was reached.</summary>
    public int Dropped { get; set; }
}
