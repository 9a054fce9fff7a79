namespace Toolbar.Internal;

/// <summary>
/// What the outermost middleware saw of a request: whether its connection came from a loopback address and
/// whether its Host was allowed, before any middleware of the app (forwarded headers, rewrites) changed either.
/// Four shared instances, so recording it allocates nothing.
/// </summary>
internal sealed class ToolbarEdgeFeature
{
    private static readonly ToolbarEdgeFeature[] s_all = [new(false, false), new(false, true), new(true, false), new(true, true)];

    private ToolbarEdgeFeature(bool loopbackConnection, bool allowedHost)
    {
        LoopbackConnection = loopbackConnection;
        AllowedHost = allowedHost;
    }

    public bool LoopbackConnection { get; }

    public bool AllowedHost { get; }

    public static ToolbarEdgeFeature Get(bool loopbackConnection, bool allowedHost) =>
        s_all[(loopbackConnection ? 2 : 0) + (allowedHost ? 1 : 0)];
}
