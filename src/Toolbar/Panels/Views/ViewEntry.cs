namespace Toolbar.Panels.Views;

/// <summary>One thing rendered (or run to render) for the request: a page, handler, action, view, layout, partial or view component.</summary>
public sealed class ViewEntry
{
    /// <summary>Position in the list, from 0 (in the order they started).</summary>
    public int Index { get; set; }

    /// <summary>
    /// <c>page</c> (a Razor Page, from its handler to its last byte), <c>handler</c> (a page handler method),
    /// <c>action</c> (an MVC controller action), <c>view</c>, <c>layout</c>, <c>partial</c>, <c>viewstart</c>
    /// (Razor files rendered), <c>component</c> (a view component's method) or <c>component-view</c> (its view).
    /// </summary>
    public string Kind { get; set; } = "";

    /// <summary>What it is called: the file name, the page route, <c>Controller.Action</c>, the handler method or component name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The Razor file (e.g. <c>/Pages/Shared/_Layout.cshtml</c>) or the type that ran, when there is one.</summary>
    public string? Path { get; set; }

    /// <summary>Type of the model it rendered (the page model for pages), when there is one.</summary>
    public string? ModelType { get; set; }

    /// <summary>Time from its start to its end, in milliseconds (includes what is nested in it).</summary>
    public double DurationMs { get; set; }

    /// <summary>Milliseconds from the request start.</summary>
    public double StartMs { get; set; }

    /// <summary>Index of the entry it ran inside, or <c>null</c> for a top-level entry.</summary>
    public int? ParentIndex { get; set; }

    /// <summary>Nesting depth, 0 for top-level entries.</summary>
    public int Depth { get; set; }

    /// <summary>Whether it had not ended when the request finished (it failed, or still runs).</summary>
    public bool Unfinished { get; set; }
}
