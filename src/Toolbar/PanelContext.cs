using Microsoft.AspNetCore.Http;

namespace Toolbar;

/// <summary>What a panel hook gets: the request, its record and the panel's own place in it.</summary>
public sealed class PanelContext
{
    internal PanelContext(HttpContext httpContext, RequestRecord record, ToolbarPanel panel)
    {
        HttpContext = httpContext;
        Record = record;
        Panel = panel;
    }

    /// <summary>The tracked request.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The request's record.</summary>
    public RequestRecord Record { get; }

    /// <summary>The panel the hook belongs to.</summary>
    public ToolbarPanel Panel { get; }

    /// <summary>The panel's per-request collector state (created on first use).</summary>
    public TState GetState<TState>() where TState : class, new() => Record.GetState<TState>(Panel);

    /// <summary>Stores the panel's data for this request.</summary>
    public void SetData(object? data)
    {
        if (data is not null && !Panel.DataType.IsInstanceOfType(data))
        {
            throw new ArgumentException($"Panel '{Panel.Id}' must store {Panel.DataType}, not {data.GetType()}.", nameof(data));
        }

        lock (Record.Panels)
        {
            Record.Panels[Panel.Id] = data;
        }
    }
}
