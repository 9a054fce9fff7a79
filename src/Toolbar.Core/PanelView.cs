using Microsoft.AspNetCore.Components;

namespace Toolbar;

/// <summary>
/// Base class of a panel's Razor component. The toolbar renders it with <c>HtmlRenderer</c> (no MVC
/// needed) when the panel is opened. Razor encodes every value; never emit data as raw markup.
/// </summary>
/// <typeparam name="TData">The panel's data type.</typeparam>
public abstract class PanelView<TData> : ComponentBase where TData : class
{
    /// <summary>The panel's data for the request being shown.</summary>
    [Parameter, EditorRequired]
    public TData Data { get; set; } = default!;

    /// <summary>Facts about where the view is shown (record id, URLs).</summary>
    [Parameter, EditorRequired]
    public PanelViewContext Context { get; set; } = default!;
}

/// <summary>Facts a panel view needs besides its data.</summary>
/// <param name="RecordId">Id of the request record shown.</param>
/// <param name="PanelId">Id of the panel.</param>
/// <param name="PathPrefix">The toolbar's URL prefix including the app's path base, e.g. <c>/_toolbar</c>.</param>
/// <param name="Record">The whole record, for views that relate to other facts of the request.</param>
public sealed record PanelViewContext(string RecordId, string PanelId, string PathPrefix, RequestRecord Record)
{
    /// <summary>Base URL of the panel's own endpoints, e.g. <c>/_toolbar/panels/sql</c>.</summary>
    public string PanelUrl => $"{PathPrefix}/panels/{PanelId}";
}
