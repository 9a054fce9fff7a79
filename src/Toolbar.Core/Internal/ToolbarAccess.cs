using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Toolbar.Internal;

/// <summary>Decides whether a request may see the toolbar. The one place every entry point asks.</summary>
internal sealed class ToolbarAccess
{
    private static readonly string[] s_forwardingHeaders = ["X-Forwarded-For", "X-Original-For", "Forwarded"];

    private readonly Func<HttpContext, bool>? _predicate;
    private readonly bool _isDevelopment;
    private readonly ToolbarHostMatcher _hosts;

    public ToolbarAccess(IOptions<ToolbarOptions> options, IHostEnvironment environment)
    {
        Enabled = options.Value.Enabled;
        _predicate = options.Value.ShowToolbar;
        _isDevelopment = environment.IsDevelopment();
        _hosts = new ToolbarHostMatcher(options.Value.AllowedHosts);
    }

    public bool Enabled { get; }

    /// <summary>
    /// Whether any request could ever be allowed. With the default policy outside Development none can, so the
    /// toolbar installs none of its collectors (listeners, panels) and only keeps its URLs closed.
    /// </summary>
    public bool CanEverAllow => Enabled && (_predicate is not null || _isDevelopment);

    /// <summary>What the edge of the pipeline saw before any middleware of the app could rewrite it.</summary>
    public ToolbarEdgeFeature Observe(HttpContext context) =>
        ToolbarEdgeFeature.Get(IsLoopback(context.Connection.RemoteIpAddress), _hosts.IsAllowed(context.Request.Host));

    public bool IsAllowed(HttpContext context)
    {
        if (!Enabled)
        {
            return false;
        }

        // DNS rebinding: a page of any site whose name resolves to 127.0.0.1 is same-origin with the toolbar, so
        // the Host the browser sent must be one of ours. Both the Host at the edge and the Host now must pass
        // (X-Forwarded-Host may have replaced it), whatever predicate decides who the client may be.
        var edge = context.Features.Get<ToolbarEdgeFeature>();
        if (edge is { AllowedHost: false } || !_hosts.IsAllowed(context.Request.Host))
        {
            return false;
        }

        if (_predicate is not null)
        {
            return _predicate(context);
        }

        if (!_isDevelopment)
        {
            return false;
        }

        // The connection's own address as the edge saw it: forwarded headers middleware may have replaced
        // RemoteIpAddress with a value a client wrote. Without the edge (pipeline built by hand) the current value counts.
        var loopback = edge?.LoopbackConnection ?? IsLoopback(context.Connection.RemoteIpAddress);
        return loopback && IsLoopback(context.Connection.RemoteIpAddress) && !ForwardsForRemoteClient(context.Request.Headers);
    }

    /// <summary>
    /// Whether a forwarding header names a client that is not this machine. A forwarded address can only
    /// narrow access: a local proxy that forwards a remote browser must not lend it its loopback connection.
    /// </summary>
    internal static bool ForwardsForRemoteClient(IHeaderDictionary headers)
    {
        foreach (var name in s_forwardingHeaders)
        {
            var values = headers[name];
            if (values.Count == 0)
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is not null && !AllLoopback(value, forwarded: ReferenceEquals(name, "Forwarded")))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool AllLoopback(string value, bool forwarded)
    {
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var address = part;
            if (forwarded)
            {
                // RFC 7239: Forwarded: for=192.0.2.43;proto=http, for="[2001:db8::1]:4711". Only the for= pairs name clients.
                address = null!;
                foreach (var pair in part.Split(';', StringSplitOptions.TrimEntries))
                {
                    if (pair.StartsWith("for=", StringComparison.OrdinalIgnoreCase))
                    {
                        address = pair[4..].Trim('"');
                    }
                }

                if (address is null)
                {
                    continue;
                }
            }

            if (!IsLoopback(ParseEndpointAddress(address)))
            {
                // Unparseable (obfuscated "_hidden", "unknown") counts as remote: it can only narrow.
                return false;
            }
        }

        return true;
    }

    /// <summary>The address of "1.2.3.4", "1.2.3.4:80", "[::1]:80" or "::1"; null when it is none of these.</summary>
    internal static IPAddress? ParseEndpointAddress(string text)
    {
        if (IPAddress.TryParse(text, out var address))
        {
            return address;
        }

        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            return endpoint.Address;
        }

        return null;
    }

    internal static bool IsLoopback(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return IPAddress.IsLoopback(address);
    }
}
