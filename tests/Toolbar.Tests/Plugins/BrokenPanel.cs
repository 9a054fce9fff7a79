using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Toolbar.Tests.Plugins;

/// <summary>Where <see cref="BrokenPanel"/> throws.</summary>
public enum BrokenAt
{
    Nowhere,
    Constructor,
    OnRequestStarted,
    OnResponseStarting,
    OnRequestFinished,
    NavSubtitle,
    Render,
    Serialize,
    Endpoint,
    MapEndpoints,
}

/// <summary>Tells the broken panel where to fail (a DI singleton, so each test picks one place).</summary>
public sealed record BrokenPanelSettings(BrokenAt At);

/// <summary>Data of the broken panel; its <see cref="Payload"/> can refuse to be serialized.</summary>
public sealed class BrokenData
{
    [JsonIgnore]
    public bool ThrowOnSerialize { get; init; }

    public string Payload => ThrowOnSerialize ? throw new InvalidOperationException("broken in serialize") : "fine";
}

/// <summary>A third-party panel that fails on purpose in the place its settings name.</summary>
public sealed class BrokenPanel : ToolbarPanel<BrokenData>
{
    private readonly BrokenAt _at;

    public BrokenPanel(BrokenPanelSettings settings)
    {
        _at = settings.At;
        ThrowIf(BrokenAt.Constructor);
    }

    public override string Id => "broken";

    public override string Title => "Broken";

    public override Type? ViewType => typeof(BrokenPanelView);

    public override void OnRequestStarted(PanelContext context) => ThrowIf(BrokenAt.OnRequestStarted);

    public override void OnResponseStarting(PanelContext context, ServerTimingBuilder serverTiming)
    {
        ThrowIf(BrokenAt.OnResponseStarting);
        serverTiming.Add("broken", 1);
    }

    public override void OnRequestFinished(PanelContext context)
    {
        ThrowIf(BrokenAt.OnRequestFinished);
        context.SetData(new BrokenData { ThrowOnSerialize = _at == BrokenAt.Serialize });
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        ThrowIf(BrokenAt.MapEndpoints);
        endpoints.MapGet("/boom", IResult () => throw new InvalidOperationException("broken in endpoint"));
        // A plain RequestDelegate endpoint: no endpoint filters run for it, the toolbar's rules must hold anyway.
        endpoints.Map("/raw", (HttpContext _) => throw new InvalidOperationException("broken in raw endpoint"));
    }

    protected override string? GetNavSubtitle(BrokenData data)
    {
        ThrowIf(BrokenAt.NavSubtitle);
        return "all good";
    }

    internal void ThrowIf(BrokenAt at)
    {
        if (_at == at)
        {
            throw new InvalidOperationException("broken in " + at);
        }
    }
}

/// <summary>The broken panel's view: throws while rendering when told to.</summary>
public sealed class BrokenPanelView : PanelView<BrokenData>
{
    [Inject]
    public BrokenPanelSettings Settings { get; set; } = default!;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (Settings.At == BrokenAt.Render)
        {
            throw new InvalidOperationException("broken in render");
        }

        builder.AddContent(0, "Broken panel data: " + Data.Payload);
    }
}
