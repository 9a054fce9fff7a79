using Microsoft.AspNetCore.Http;

namespace Toolbar.Panels.Cpu;

/// <summary>How a request asks to be profiled: a header, or a query parameter the app never sees.</summary>
internal static class ProfileRequest
{
    public const string Header = "X-Toolbar-Profile";
    public const string QueryName = "_toolbar_profile";
    public const string Value = "cpu";

    /// <summary>
    /// Removes every <c>_toolbar_profile</c> parameter from the request's query string, keeping the others exactly as
    /// sent; returns whether one of them asked for a CPU profile. Requests without it are not touched.
    /// </summary>
    public static bool StripQuery(HttpRequest request)
    {
        var query = request.QueryString.Value;
        if (string.IsNullOrEmpty(query) || !MayName(query))
        {
            return false;
        }

        var kept = Without(query, out var asked);
        request.QueryString = kept.Length == 0 ? QueryString.Empty : new QueryString(kept);
        return asked;
    }

    /// <summary>A query string (with its <c>?</c>) without the <c>_toolbar_profile</c> parameters; the others stay as sent.</summary>
    public static string Without(string query, out bool askedForCpu)
    {
        askedForCpu = false;
        if (!MayName(query))
        {
            return query;
        }

        var kept = new List<string>();
        foreach (var part in query.TrimStart('?').Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (string.Equals(Decode(equals < 0 ? part : part[..equals]), QueryName, StringComparison.Ordinal))
            {
                askedForCpu |= equals >= 0 && string.Equals(Decode(part[(equals + 1)..]), Value, StringComparison.OrdinalIgnoreCase);
                continue;
            }

            kept.Add(part);
        }

        return kept.Count == 0 ? "" : "?" + string.Join('&', kept);
    }

    // A cheap test before parsing: every spelling of the name, also with '_' sent as %5F, contains "profile".
    private static bool MayName(string query) => query.Contains("profile", StringComparison.OrdinalIgnoreCase);

    private static string Decode(string component)
    {
        try
        {
            return Uri.UnescapeDataString(component.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return component;
        }
    }

    /// <summary>
    /// Whether another site made the browser send this request (<c>Sec-Fetch-Site: cross-site</c> or <c>same-site</c>):
    /// a page elsewhere can put <c>?_toolbar_profile=cpu</c> into an image's URL, but it cannot ask for profiles. A
    /// request without the header (curl, a test) is the developer's own.
    /// </summary>
    public static bool FromAnotherSite(HttpRequest request) =>
        request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site";

    /// <summary>The request's URL as the arm button names it: path base, path and query string.</summary>
    public static string UrlOf(HttpRequest request) => request.PathBase + request.Path + request.QueryString;
}
