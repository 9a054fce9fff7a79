using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace ToolbarFlags;

/// <summary>Where flag values come from: configuration, and a browser's override cookie.</summary>
internal sealed class FlagSource(IConfiguration configuration, FlagsPanelOptions options)
{
    public FlagsPanelOptions Options { get; } = options;

    private volatile SortedDictionary<string, bool>? _configured;

    /// <summary>
    /// The configured flags by name (values that are not <c>true</c> count as off). Read once and again only
    /// after configuration reloads: this runs on every tracked request. Callers must not modify it.
    /// </summary>
    public SortedDictionary<string, bool> Configured()
    {
        if (_configured is { } cached)
        {
            return cached;
        }

        var flags = new SortedDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in configuration.GetSection(Options.Section).GetChildren())
        {
            flags[child.Key] = IsTrue(child.Value);
        }

        configuration.GetReloadToken().RegisterChangeCallback(static state => ((FlagSource)state!)._configured = null, this);
        _configured = flags;
        return flags;
    }

    /// <summary>The configured value of one flag, or <c>null</c> when it is not configured.</summary>
    public bool? Configured(string name) => Configured().TryGetValue(name, out var value) ? value : null;

    /// <summary>The browser's overrides, from the cookie (<c>name=1&amp;other=0</c>).</summary>
    public Dictionary<string, bool> Overrides(HttpRequest request)
    {
        var overrides = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        if (request.Cookies[Options.CookieName] is not { Length: > 0 } cookie)
        {
            return overrides;
        }

        foreach (var pair in cookie.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                overrides[Uri.UnescapeDataString(pair[..eq])] = pair[(eq + 1)..] == "1";
            }
        }

        return overrides;
    }

    /// <summary>Writes the overrides back (or deletes the cookie when there are none).</summary>
    public void WriteOverrides(HttpContext http, Dictionary<string, bool> overrides)
    {
        var cookieOptions = new CookieOptions
        {
            Path = "/",
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            // A developer's own switch, not tracking: it must not wait for a consent banner.
            IsEssential = true,
        };
        if (overrides.Count == 0)
        {
            http.Response.Cookies.Delete(Options.CookieName, cookieOptions);
            return;
        }

        var value = string.Join('&', overrides.OrderBy(o => o.Key, StringComparer.OrdinalIgnoreCase)
            .Select(o => Uri.EscapeDataString(o.Key) + "=" + (o.Value ? "1" : "0")));
        http.Response.Cookies.Append(Options.CookieName, value, cookieOptions);
    }

    private static bool IsTrue(string? value) => bool.TryParse(value, out var on) && on;
}
