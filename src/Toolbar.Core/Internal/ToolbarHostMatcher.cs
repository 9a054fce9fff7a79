using System.Net;
using Microsoft.AspNetCore.Http;

namespace Toolbar.Internal;

/// <summary>
/// Whether a request's Host names this machine: <c>localhost</c>, <c>*.localhost</c>, 127.0.0.0/8, <c>[::1]</c>
/// (any port), or one of <see cref="ToolbarOptions.AllowedHosts"/>.
/// </summary>
internal sealed class ToolbarHostMatcher
{
    private readonly bool _any;
    private readonly HashSet<string> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _suffixes = [];

    public ToolbarHostMatcher(IEnumerable<string> allowedHosts)
    {
        foreach (var entry in allowedHosts)
        {
            var host = entry.Trim().TrimEnd('.');
            if (host == "*")
            {
                _any = true;
            }
            else if (host.StartsWith("*.", StringComparison.Ordinal) && host.Length > 2)
            {
                _suffixes.Add(host[1..]);
            }
            else if (host.Length > 0)
            {
                _exact.Add(host);
            }
        }
    }

    public bool IsAllowed(HostString hostString)
    {
        if (_any)
        {
            return true;
        }

        // HostString.Host drops the port and keeps IPv6 brackets.
        var host = hostString.HasValue ? hostString.Host : "";
        if (host.EndsWith('.'))
        {
            host = host[..^1];
        }

        if (host.Length == 0)
        {
            return false;
        }

        if (IsLoopbackName(host) || _exact.Contains(host))
        {
            return true;
        }

        foreach (var suffix in _suffixes)
        {
            if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool IsLoopbackName(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (host.Length > ".localhost".Length && host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            return IPAddress.TryParse(host.AsSpan(1, host.Length - 2), out var v6) && ToolbarAccess.IsLoopback(v6);
        }

        // Dotted quads only: IPAddress.TryParse also reads "127.1" and plain numbers, which no browser sends as a Host.
        // Parsed by hand: this runs for every request, and 127.0.0.0/8 is all of IPv4's loopback.
        return IsLoopbackDottedQuad(host);
    }

    private static bool IsLoopbackDottedQuad(ReadOnlySpan<char> host)
    {
        if (host.Count('.') != 3)
        {
            return false;
        }

        var first = -1;
        foreach (var range in host.Split('.'))
        {
            var part = host[range];
            if (part.Length is 0 or > 3 || !int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value > 255)
            {
                return false;
            }

            first = first < 0 ? value : first;
        }

        return first == 127;
    }
}
