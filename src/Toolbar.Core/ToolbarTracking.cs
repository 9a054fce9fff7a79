using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Toolbar.Internal;

namespace Toolbar;

/// <summary>
/// The toolbar's tracking decision, for panels that observe the request pipeline outside the toolbar's own
/// middleware (e.g. the middleware panel wraps the whole pipeline at build time and must know, before the
/// toolbar runs, whether a request will be tracked). A singleton service registered by <c>AddDebugToolbar()</c>.
/// </summary>
public sealed class ToolbarTracking
{
    private readonly ToolbarAccess _access;
    private readonly PathString _prefix;

    internal ToolbarTracking(ToolbarAccess access, IOptions<ToolbarOptions> options)
    {
        _access = access;
        _prefix = new PathString(options.Value.NormalizedPrefix);
    }

    /// <summary>
    /// Whether any request of this app can ever be tracked: false when the toolbar is disabled, or outside
    /// Development with the default access policy. Decide at startup with it whether to install anything at all.
    /// </summary>
    public bool CanTrackAny => _access.CanEverAllow;

    /// <summary>
    /// Whether the toolbar will track this request: the access policy allows it and it is not one of the
    /// toolbar's own URLs. Asks the same policy the toolbar's middleware asks; a policy that throws counts as no.
    /// </summary>
    public bool WillTrack(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Path.StartsWithSegments(_prefix))
        {
            return false;
        }

        try
        {
            return _access.IsAllowed(context);
        }
        catch (Exception)
        {
            // The toolbar's middleware logs this failure; here it only means "not tracked".
            return false;
        }
    }
}
