using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Toolbar;

namespace ToolbarFlags;

/// <summary>
/// The Flags panel (id <c>flags</c>): the feature flags of the <c>FeatureFlags</c> configuration section,
/// the value each had for this request and whether the app read it, and a per-browser toggle.
/// A third-party panel: it uses only the toolbar's public API.
/// </summary>
public sealed class FlagsPanel : ToolbarPanel<FlagsData>
{
    /// <summary>Creates the panel (the toolbar and DI create it once; it serves every request).</summary>
    public FlagsPanel(IConfiguration configuration, IOptions<FlagsPanelOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Source = new FlagSource(configuration, options.Value);
    }

    /// <inheritdoc />
    public override string Id => "flags";

    /// <inheritdoc />
    public override string Title => "Feature flags";

    /// <inheritdoc />
    public override string NavTitle => "Flags";

    /// <inheritdoc />
    public override Type? ViewType => typeof(FlagsPanelView);

    /// <inheritdoc />
    public override IReadOnlyList<PanelAsset> Assets { get; } =
    [
        PanelAsset.Embedded<FlagsPanel>("flags.css", "ToolbarFlags.flags.css"),
        PanelAsset.Embedded<FlagsPanel>("flags.js", "ToolbarFlags.flags.js"),
    ];

    internal FlagSource Source { get; }

    /// <inheritdoc />
    public override void OnRequestStarted(PanelContext context)
    {
        // Created here, found by the flag service: a request without it is one this panel does not track.
        context.GetState<FlagsState>();
    }

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        // Note what the request saw now; the flag table is built only if somebody opens the record.
        var configured = Source.Configured();
        var request = context.HttpContext.Request;
        var overrides = request.Headers.Cookie.Count > 0 ? Source.Overrides(request) : null;
        var seen = context.GetState<FlagsState>().Snapshot();
        // A static builder with its inputs as state: no closure or delegate per request (the panel is on for every one).
        context.SetLazyData((configured, overrides, seen), static s =>
        {
            var (configured, overrides, seen) = s;
            var data = new FlagsData();
            var overridden = overrides ?? new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
            var read = seen ?? new Dictionary<string, (bool Value, int Reads)>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in configured)
            {
                data.Flags.Add(Describe(name, true, value, overridden, read));
            }

            foreach (var name in read.Keys.Where(n => !configured.ContainsKey(n)).Order(StringComparer.OrdinalIgnoreCase))
            {
                data.Flags.Add(Describe(name, false, false, overridden, read));
            }

            return data;
        });
    }

    /// <inheritdoc />
    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        // POST only: the toolbar requires X-Toolbar-Request: 1 on it and answers 404 to clients it does not allow.
        endpoints.MapPost("/toggle", (HttpContext http, ToggleRequest? body) => Toggle(http, body?.Name));
        endpoints.MapPost("/reset", (HttpContext http) =>
        {
            Source.WriteOverrides(http, []);
            return Results.NoContent();
        });
    }

    /// <inheritdoc />
    protected override string? GetNavSubtitle(FlagsData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var on = data.Flags.Count(f => f.Value);
        var overridden = data.Flags.Count(f => f.Override is not null);
        return overridden == 0 ? $"{on} of {data.Flags.Count} on" : $"{on} of {data.Flags.Count} on, {overridden} overridden";
    }

    /// <inheritdoc />
    protected override PanelStatus GetStatus(FlagsData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        // This browser sees something other than everyone else: worth a glance.
        return data.Flags.Any(f => f.Override is not null) ? PanelStatus.Warning : PanelStatus.Normal;
    }

    private IResult Toggle(HttpContext http, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Results.BadRequest(new { error = "Send {\"name\": \"<flag>\"}." });
        }

        if (Source.Configured(name) is not { } configured)
        {
            return Results.NotFound(new { error = $"No flag '{name}' in the '{Source.Options.Section}' configuration section." });
        }

        var overrides = Source.Overrides(http.Request);
        var current = overrides.TryGetValue(name, out var overridden) ? overridden : configured;
        var next = !current;
        // Toggling back to the configured value removes the override instead of pinning it.
        if (next == configured)
        {
            overrides.Remove(name);
        }
        else
        {
            overrides[name] = next;
        }

        Source.WriteOverrides(http, overrides);
        return Results.Ok(new ToggleResult(name, next, next != configured));
    }

    private static FlagInfo Describe(string name, bool inConfiguration, bool configured, Dictionary<string, bool> overrides, Dictionary<string, (bool Value, int Reads)> seen)
    {
        bool? over = overrides.TryGetValue(name, out var o) ? o : null;
        var read = seen.TryGetValue(name, out var s) ? s : ((bool Value, int Reads)?)null;
        return new FlagInfo
        {
            Name = name,
            InConfiguration = inConfiguration,
            Configured = configured,
            Override = over,
            Value = over ?? configured,
            Seen = read?.Value,
            Reads = read?.Reads ?? 0,
        };
    }
}
