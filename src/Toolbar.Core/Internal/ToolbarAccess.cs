using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Toolbar.Internal;

/// <summary>Decides whether a request may see the toolbar. The one place every entry point asks.</summary>
internal sealed class ToolbarAccess
{
    private readonly Func<HttpContext, bool>? _predicate;
    private readonly bool _isDevelopment;

    public ToolbarAccess(IOptions<ToolbarOptions> options, IHostEnvironment environment)
    {
        Enabled = options.Value.Enabled;
        _predicate = options.Value.ShowToolbar;
        _isDevelopment = environment.IsDevelopment();
    }

    public bool Enabled { get; }

    /// <summary>
    /// Whether any request could ever be allowed. With the default policy outside Development none can, so the
    /// toolbar installs none of its collectors (listeners, panels) and only keeps its URLs closed.
    /// </summary>
    public bool CanEverAllow => Enabled && (_predicate is not null || _isDevelopment);

    public bool IsAllowed(HttpContext context)
    {
        if (!Enabled)
        {
            return false;
        }

        if (_predicate is not null)
        {
            return _predicate(context);
        }

        // Only the connection's own address counts: X-Forwarded-For is the client's word, not a fact.
        return _isDevelopment && IsLoopback(context.Connection.RemoteIpAddress);
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
