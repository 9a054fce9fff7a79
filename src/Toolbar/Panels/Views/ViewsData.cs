namespace Toolbar.Panels.Views;

/// <summary>Data of the views panel: everything rendered on the server for the request, nested.</summary>
public sealed class ViewsData
{
    /// <summary>The entries, in the order they started; <see cref="ViewEntry.ParentIndex"/> gives the nesting.</summary>
    public List<ViewEntry> Views { get; set; } = [];

    /// <summary>Number of Razor files, view components and Razor components rendered (pages, views, layouts, partials, components).</summary>
    public int RenderedCount { get; set; }

    /// <summary>Number of Razor components rendered on the server.</summary>
    public int ComponentCount { get; set; }

    /// <summary>Number of tag helpers created (one per element and tag helper type).</summary>
    public int TagHelperCount { get; set; }

    /// <summary>Entries not kept because the per-request cap was reached.</summary>
    public int Dropped { get; set; }
}
