namespace Toolbar.Panels.Views;

/// <summary>One thing rendered (or run to render) for the request: a page, handler, action, view, layout, partial or view component.</summary>
public sealed class ViewEntry
{
    /// <summary>Position in the list, from 0 (in the order they started).</summary>
    public int Index { get; set; }

    /// <summary>
    /// <c>page</c> (a Razor Page, from its handler to its last byte), <c>handler</c> (a page handler method),
    /// <c>action</c> (an MVC controller action), <c>view</c>, <c>layout</c>, <c>partial</c>, <c>viewstart</c>
    /// (Razor files rendered), <c>viewComponent</c> (a view component's method), <c>viewComponentView</c> (its view),
    /// <c>component</c> (a Razor component rendered on the server) or <c>tagHelper</c> (the tag helpers of one type
    /// a Razor file created, counted in <see cref="Count"/>).
    /// </summary>
    public string Kind { get; set; } = "";

    /// <summary>What it is called: the file name, the page route, <c>Controller.Action</c>, the handler method or component name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The Razor file (e.g. <c>/Pages/Shared/_Layout.cshtml</c>) or the type that ran, when there is one.</summary>
    public string? Path { get; set; }

    /// <summary>Type of the model it rendered (the page model for pages), when there is one.</summary>
    public string? ModelType { get; set; }

    /// <summary>
    /// Time from its start to its end, in milliseconds (includes what is nested in it). For a Razor component, from its
    /// creation until the last step of it or a component inside it ended. For tag helpers, the time spent creating them
    /// (their <c>ProcessAsync</c> has no framework event, so its time is part of the Razor file's).
    /// </summary>
    public double DurationMs { get; set; }

    /// <summary>Tag helpers: how many of this type the Razor file created (one per element). Components: how many times it rendered.</summary>
    public int? Count { get; set; }

    /// <summary>Razor components: time in their own steps (setting parameters and lifecycle methods, rendering), in milliseconds.</summary>
    public double? SelfMs { get; set; }

    /// <summary>Milliseconds from the request start.</summary>
    public double StartMs { get; set; }

    /// <summary>Index of the entry it ran inside, or <c>null</c> for a top-level entry.</summary>
    public int? ParentIndex { get; set; }

    /// <summary>Nesting depth, 0 for top-level entries.</summary>
    public int Depth { get; set; }

    /// <summary>Whether it had not ended when the request finished (it failed, or still runs).</summary>
    public bool Unfinished { get; set; }
}
