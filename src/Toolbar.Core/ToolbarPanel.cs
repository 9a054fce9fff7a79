using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Toolbar.Internal;

namespace Toolbar;

/// <summary>
/// A toolbar panel: one tab of the toolbar, and a self-contained plugin (like a Flask blueprint).
/// It collects data while a tracked request runs, turns it into a data object when the request
/// finishes, renders that data with a Razor component when somebody opens the panel, and may
/// bring its own endpoints (under <c>/_toolbar/panels/{id}</c>) and assets.
/// </summary>
/// <remarks>
/// Panels are singletons: one instance serves every request, so keep per-request state in
/// <see cref="RequestRecord.GetState{TState}"/>, never in fields. Hooks run on the request's
/// execution context; keep them cheap (collect raw facts, build the data on first read with
/// <see cref="PanelContext.SetLazyData{TData}"/>, render only on demand). Derive from
/// <see cref="ToolbarPanel{TData}"/> rather than from this type.
/// </remarks>
public abstract class ToolbarPanel
{
    private protected ToolbarPanel()
    {
    }

    /// <summary>
    /// The toolbar's JSON conventions (camelCase, enums as camelCase strings, HTML-safe escaping, NaN tolerated): the
    /// options panel data is stored and served with. Use them for a panel endpoint's answers too, so they read like
    /// the rest of the toolbar's API. Read-only.
    /// </summary>
    public static JsonSerializerOptions JsonOptions => ToolbarJson.Options;

    /// <summary>Unique id: the unit of configuration, storage and URL (lowercase letters, digits, dashes).</summary>
    public abstract string Id { get; }

    /// <summary>Title shown at the top of the opened panel.</summary>
    public abstract string Title { get; }

    /// <summary>Short title for the nav list. Defaults to <see cref="Title"/>.</summary>
    public virtual string NavTitle => Title;

    /// <summary>Type of the data object the panel stores per request (serialized as JSON).</summary>
    public abstract Type DataType { get; }

    /// <summary>
    /// Razor component that renders the data, derived from <see cref="PanelView{TData}"/>.
    /// <c>null</c> renders the data as formatted JSON.
    /// </summary>
    public virtual Type? ViewType => null;

    /// <summary>Assets (JS, CSS) the panel's view needs; loaded into the toolbar when the panel is first opened.</summary>
    public virtual IReadOnlyList<PanelAsset> Assets => [];

    /// <summary>
    /// Position in the toolbar (registration order), assigned by the toolbar when it creates its panels;
    /// -1 while the panel is not part of the toolbar (not created by it yet, or switched off with
    /// <see cref="ToolbarOptions.DisabledPanels"/>). A service that feeds a panel can test <c>Index &gt;= 0</c>.
    /// </summary>
    public int Index { get; internal set; } = -1;

    /// <summary>
    /// Runs at the start of every tracked request, on the request's execution context, before the app runs.
    /// Install per-request collection here. Default: nothing.
    /// </summary>
    public virtual void OnRequestStarted(PanelContext context)
    {
    }

    /// <summary>
    /// Runs when the response starts (headers about to be sent); add <c>Server-Timing</c> entries here.
    /// Default: nothing.
    /// </summary>
    public virtual void OnResponseStarting(PanelContext context, ServerTimingBuilder serverTiming)
    {
    }

    /// <summary>
    /// Runs after the app finished the request (also when it threw). Produce the panel's data with
    /// <see cref="PanelContext.SetData"/>, or copy the raw facts and hand a builder to
    /// <see cref="PanelContext.SetLazyData{TData}"/> so the work is done only for records somebody reads.
    /// Default: nothing.
    /// </summary>
    public virtual void OnRequestFinished(PanelContext context)
    {
    }

    /// <summary>Maps the panel's own endpoints. <paramref name="endpoints"/> is the group <c>{prefix}/panels/{id}</c>.</summary>
    public virtual void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }

    /// <summary>
    /// Maps the panel's routes that belong to one stored request, such as an export of its data.
    /// <paramref name="endpoints"/> is the group <c>{prefix}/requests/{id}</c>: the handler reads the record id from the
    /// route value <c>id</c> and the record from <see cref="IToolbarStore"/>. Name routes after the panel
    /// (<c>/cpu.speedscope.json</c>) so panels do not collide. The rules of <see cref="MapEndpoints"/> apply (access
    /// policy, <c>X-Toolbar-Request</c> for non-GET methods, failures answered as the panel's). Default: nothing.
    /// </summary>
    public virtual void MapRecordEndpoints(IEndpointRouteBuilder endpoints)
    {
    }

    /// <summary>
    /// Tools the panel offers coding agents through the toolbar's MCP endpoint (<c>{prefix}/mcp</c>), e.g. the SQL
    /// panel's N+1 finder. Called once, when the endpoint first lists its tools. Default: none.
    /// </summary>
    public virtual IEnumerable<ToolbarMcpTool> GetMcpTools() => [];

    /// <summary>Subtitle under the nav title (e.g. <c>11 queries, 4.2 ms</c>) for stored data, or <c>null</c>.</summary>
    public virtual string? GetNavSubtitle(object data) => null;

    /// <summary>How the nav entry is highlighted for stored data.</summary>
    public virtual PanelStatus GetStatus(object data) => PanelStatus.Normal;

    /// <summary>
    /// The panel's differences between two records' data (<c>GET {prefix}/api/compare?a=…&amp;b=…</c> lists it under
    /// <c>panels.{id}</c>), as a JSON-serializable object of the panel's own shape, or <c>null</c> when the panel does not
    /// compare. Runs when somebody asks for a comparison, never while requests run. Default: <c>null</c>.
    /// </summary>
    /// <param name="a">The panel's data of the first (older, "before") record.</param>
    /// <param name="b">The panel's data of the second ("after") record.</param>
    public virtual object? Compare(object a, object b) => null;
}

/// <summary>A toolbar panel whose per-request data is a <typeparamref name="TData"/>.</summary>
/// <typeparam name="TData">The JSON-serializable data type the panel stores per request.</typeparam>
public abstract class ToolbarPanel<TData> : ToolbarPanel where TData : class
{
    /// <inheritdoc />
    public sealed override Type DataType => typeof(TData);

    /// <inheritdoc />
    public sealed override string? GetNavSubtitle(object data) => data is TData typed ? GetNavSubtitle(typed) : null;

    /// <inheritdoc />
    public sealed override PanelStatus GetStatus(object data) => data is TData typed ? GetStatus(typed) : PanelStatus.Normal;

    /// <inheritdoc />
    public sealed override object? Compare(object a, object b) => a is TData first && b is TData second ? Compare(first, second) : null;

    /// <summary>The differences between two records' data of this panel (see <see cref="ToolbarPanel.Compare(object, object)"/>), or <c>null</c>.</summary>
    /// <param name="a">The first ("before") record's data.</param>
    /// <param name="b">The second ("after") record's data.</param>
    protected virtual object? Compare(TData a, TData b) => null;

    /// <summary>Subtitle under the nav title for this data, or <c>null</c>.</summary>
    protected virtual string? GetNavSubtitle(TData data) => null;

    /// <summary>Highlight of the nav entry for this data.</summary>
    protected virtual PanelStatus GetStatus(TData data) => PanelStatus.Normal;
}

/// <summary>How a panel's nav entry is highlighted.</summary>
public enum PanelStatus
{
    /// <summary>Nothing to point out.</summary>
    Normal,

    /// <summary>Something worth a look (e.g. N+1 queries, warnings logged).</summary>
    Warning,

    /// <summary>Something failed (e.g. an exception, a 5xx).</summary>
    Error,
}
