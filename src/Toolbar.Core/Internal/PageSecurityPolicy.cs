using Microsoft.AspNetCore.Http;

namespace Toolbar.Internal;

/// <summary>
/// What the toolbar's script tag needs from the page's own Content-Security-Policy (read from the response
/// headers when the snippet is written): the page's script nonce (a nonce-based or 'strict-dynamic' policy
/// blocks any script without it), its style nonce, and whether Trusted Types are enforced and allow the
/// toolbar's own policy. Report-only policies block nothing and are ignored.
/// </summary>
internal static class PageSecurityPolicy
{
    /// <summary>The name of the Trusted Types policy toolbar.js creates.</summary>
    public const string TrustedTypesPolicyName = "toolbar";

    /// <summary>Extra attributes for the toolbar's script tag, each with a leading space; empty without a CSP.</summary>
    public static string ScriptAttributes(IHeaderDictionary headers)
    {
        var values = headers.ContentSecurityPolicy;
        if (values.Count == 0)
        {
            return string.Empty;
        }

        string? scriptNonce = null;
        string? styleNonce = null;
        var trustedTypesEnforced = false;
        var policyAllowed = true;
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            // One header value may carry several policies separated by commas; every one of them applies.
            foreach (var policy in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var directives = Parse(policy);
                scriptNonce ??= NonceOf(directives, "script-src-elem", "script-src", "default-src");
                styleNonce ??= NonceOf(directives, "style-src-elem", "style-src", "default-src");
                if (directives.TryGetValue("require-trusted-types-for", out var required)
                    && required.Contains("'script'", StringComparer.OrdinalIgnoreCase))
                {
                    trustedTypesEnforced = true;
                }

                if (directives.TryGetValue("trusted-types", out var names)
                    && !names.Any(n => n == "*" || string.Equals(n, TrustedTypesPolicyName, StringComparison.Ordinal)))
                {
                    policyAllowed = false;
                }
            }
        }

        var attributes = string.Empty;
        if (scriptNonce is not null)
        {
            attributes += " nonce=\"" + scriptNonce + "\"";
        }

        if (styleNonce is not null && styleNonce != scriptNonce)
        {
            attributes += " data-toolbar-style-nonce=\"" + styleNonce + "\"";
        }

        if (trustedTypesEnforced)
        {
            attributes += policyAllowed ? " data-toolbar-tt=\"policy\"" : " data-toolbar-tt=\"blocked\"";
        }

        return attributes;
    }

    /// <summary>Directive name (lower case) to its source tokens; the first occurrence of a directive wins, as in browsers.</summary>
    private static Dictionary<string, string[]> Parse(string policy)
    {
        var directives = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var directive in policy.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tokens = directive.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length > 0)
            {
                directives.TryAdd(tokens[0], tokens[1..]);
            }
        }

        return directives;
    }

    /// <summary>The nonce of the first directive present in fallback order (a present directive without a nonce means none).</summary>
    private static string? NonceOf(Dictionary<string, string[]> directives, params string[] fallbackOrder)
    {
        foreach (var name in fallbackOrder)
        {
            if (!directives.TryGetValue(name, out var sources))
            {
                continue;
            }

            foreach (var source in sources)
            {
                if (source.StartsWith("'nonce-", StringComparison.OrdinalIgnoreCase) && source.Length > "'nonce-'".Length && source[^1] == '\'')
                {
                    var nonce = source["'nonce-".Length..^1];
                    // A nonce is base64 or base64url (CSP's grammar); anything else cannot match and must not reach the HTML.
                    return nonce.All(IsNonceChar) ? nonce : null;
                }
            }

            return null;
        }

        return null;
    }

    private static bool IsNonceChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '-' or '_';
}
