using Microsoft.AspNetCore.Http;
using Toolbar;

namespace ToolbarFlags;

/// <summary>
/// The app-facing flag reader. Overrides are honoured only for requests the toolbar tracks (so only
/// for clients the toolbar's access policy allows): in production a cookie cannot flip a flag.
/// </summary>
internal sealed class FeatureFlagService(FlagsPanel panel, IHttpContextAccessor accessor) : IFeatureFlags
{
    private readonly FlagSource _source = panel.Source;

    public bool IsEnabled(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var value = _source.Configured(name) ?? false;
        // The panel's hook created the state: none means an untracked request or the panel switched off, so
        // configuration only, nothing recorded.
        if (RequestRecord.Current?.FindState<FlagsState>() is not { } state)
        {
            return value;
        }

        if (accessor.HttpContext is { } http && state.Overrides(() => _source.Overrides(http.Request)).TryGetValue(name, out var overridden))
        {
            value = overridden;
        }

        state.Saw(name, value);
        return value;
    }
}
