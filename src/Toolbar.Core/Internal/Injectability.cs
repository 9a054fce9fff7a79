using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Toolbar.Internal;

/// <summary>Which responses the toolbar may inject into: HTML in an ASCII-compatible charset, with a body, not encoded, not a download.</summary>
internal static class Injectability
{
    internal static bool IsInjectable(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (HttpMethods.IsHead(request.Method))
        {
            return false;
        }

        var status = response.StatusCode;
        if (status < 200 || status is 204 or 206 or 304)
        {
            return false;
        }

        if (!IsHtml(response.ContentType) || IsEncoded(response.Headers.ContentEncoding))
        {
            return false;
        }

        var disposition = response.Headers.ContentDisposition;
        return disposition.Count == 0 || !disposition.ToString().TrimStart().StartsWith("attachment", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Whether the body bytes are encoded. <c>identity</c> means "no encoding" (Blazor's streaming rendering sets it to
    /// keep compression from buffering), so such a page is still plain HTML.
    /// </summary>
    internal static bool IsEncoded(Microsoft.Extensions.Primitives.StringValues contentEncoding)
    {
        foreach (var value in contentEncoding)
        {
            foreach (var coding in (value ?? "").Split(','))
            {
                var trimmed = coding.Trim();
                if (trimmed.Length > 0 && !trimmed.Equals("identity", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    internal static bool IsHtml(string? contentType)
    {
        // Most responses (JSON, images, scripts) are turned away by the cheap test, before any parsing.
        if (string.IsNullOrEmpty(contentType) || !contentType.Contains("html", StringComparison.OrdinalIgnoreCase)
            || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        if (!media.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // The tag search works on bytes, so only encodings where ASCII is ASCII qualify.
        var charset = media.Charset.Value?.Trim('"');
        if (string.IsNullOrEmpty(charset))
        {
            return true;
        }

        return !(charset.StartsWith("utf-16", StringComparison.OrdinalIgnoreCase)
            || charset.StartsWith("utf-32", StringComparison.OrdinalIgnoreCase)
            || charset.StartsWith("ucs-", StringComparison.OrdinalIgnoreCase)
            || charset.StartsWith("unicode", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("utf-7", StringComparison.OrdinalIgnoreCase)
            || charset.StartsWith("ibm", StringComparison.OrdinalIgnoreCase)
            || charset.StartsWith("ebcdic", StringComparison.OrdinalIgnoreCase));
    }
}
