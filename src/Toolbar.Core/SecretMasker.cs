using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Toolbar;

/// <summary>
/// The toolbar's one masking rule. It decides which names (headers, cookies, query and form fields, configuration
/// keys, SQL parameters and the columns they are bound to) hold secrets, and finds credentials inside values
/// (a URL's user info, secret query parameters of a URL, secret pairs of a connection string). The toolbar and its
/// panels apply it once, when they capture a value, so every surface (JSON API, nav, panels, History, a Redis store)
/// only ever holds the masked value.
/// </summary>
/// <remarks>
/// A name is secret when it contains one of <see cref="ToolbarOptions.SecretNames"/> (case-insensitive), starts
/// with <c>.AspNetCore.</c> (ASP.NET Core's authentication, session and antiforgery cookies), has a word starting
/// with <c>pass</c> (<c>Passcode</c>, <c>db.pass</c>), has a word <c>pat</c>, <c>sid</c>, <c>session</c>,
/// <c>sessionid</c>, <c>ssn</c> or <c>sig</c>, or ends with <c>pin</c>, <c>otp</c>, <c>cvv</c>, <c>cvc</c> or
/// <c>sessid</c> (<c>PHPSESSID</c>, <c>connect.sid</c>, <c>ASP.NET_SessionId</c>).
/// </remarks>
public sealed partial class SecretMasker
{
    /// <summary>What a masked value is replaced with.</summary>
    public const string Mask = "********";

    private const int MaxRememberedNames = 2048;

    private static readonly string[] s_secretWords = ["pat", "sid", "session", "sessionid", "ssn", "sig"];
    private static readonly string[] s_secretEndings = ["pin", "otp", "cvv", "cvc", "sessid"];

    private readonly string[] _parts;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    /// <summary>Creates a masker from the configured secret names and value length.</summary>
    public SecretMasker(IOptions<ToolbarOptions> options)
        : this(options.Value.SecretNames)
    {
        MaxValueLength = Math.Max(16, options.Value.MaxValueLength);
    }

    /// <summary>Creates a masker from a list of name parts.</summary>
    public SecretMasker(IEnumerable<string> secretNameParts)
    {
        ArgumentNullException.ThrowIfNull(secretNameParts);
        _parts = secretNameParts.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>Longest value kept by <see cref="Capture"/> and <see cref="Truncate"/>, from <see cref="ToolbarOptions.MaxValueLength"/>.</summary>
    public int MaxValueLength { get; } = 8192;

    /// <summary>
    /// <paramref name="value"/> cut to <see cref="MaxValueLength"/> characters, ending with its true length
    /// (<c>…[4194304 chars]</c>); the same instance when it is short enough.
    /// </summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    public string? Truncate(string? value) =>
        value is null || value.Length <= MaxValueLength
            ? value
            : string.Concat(value.AsSpan(0, MaxValueLength), "…[", value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), " chars]");

    /// <summary>What a record keeps of a named value: <see cref="Apply"/> (masking), then <see cref="Truncate"/>.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    public string? Capture(string name, string? value) => Truncate(Apply(name, value));

    /// <summary>Whether a value under this name is a secret.</summary>
    public bool IsSecret(string name)
    {
        ArgumentNullException.ThrowIfNull(name);

        // The same few names (headers, cookies, keys) come back on every request: remember the answer, within a
        // bound, since names are also client input.
        if (_known.TryGetValue(name, out var known))
        {
            return known;
        }

        var secret = Decide(name);
        if (_known.Count < MaxRememberedNames)
        {
            _known.TryAdd(name, secret);
        }

        return secret;
    }

    /// <summary>
    /// The value to show for <paramref name="name"/>: <see cref="Mask"/> when the name is a secret, otherwise the
    /// value with any credential inside it masked (see <see cref="MaskValue"/>).
    /// </summary>
    public string? Apply(string name, string? value) => value is null ? null : IsSecret(name) ? Mask : MaskValue(value);

    /// <summary>
    /// Masks the credentials a value carries whatever its name: the password (or token) of a URL's user info
    /// (<c>postgres://user:********@host</c>), the values of secret query parameters of a URL or query string
    /// (<c>?token=********</c>), the values of secret pairs of a connection string (<c>Password = ********</c>), a JWT
    /// (<c>eyJ…</c>) and the token after <c>Bearer</c>.
    /// Returns the same instance when there is nothing to mask.
    /// </summary>
    public string MaskValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return value;
        }

        var result = value;
        // Tokens that say what they are whatever their name: a JWT (base64 JSON, "eyJ…") and a bearer token a log line quotes.
        if (value.Contains("eyJ", StringComparison.Ordinal) || value.Contains("bearer ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                result = Jwt().Replace(result, Mask);
                result = Bearer().Replace(result, static m => m.Groups["scheme"].Value + Mask);
            }
            catch (RegexMatchTimeoutException)
            {
                return Mask;
            }
        }

        if (result.AsSpan().IndexOfAny('=', '@') < 0)
        {
            return string.Equals(result, value, StringComparison.Ordinal) ? value : result;
        }

        if (result.Contains('@'))
        {
            try
            {
                result = UserInfo().Replace(result, static m => m.Groups["user"].Value + ":" + Mask + "@");
                result = BareUserInfo().Replace(result, static m => m.Groups["scheme"].Value + Mask + "@");
            }
            catch (RegexMatchTimeoutException)
            {
                // A value built to be slow to read is not shown at all.
                return Mask;
            }
        }

        if (result.Contains('='))
        {
            result = result.Contains(';') ? MaskPairs(result) : result;
            result = MaskQueryParameters(result);
        }

        return string.Equals(result, value, StringComparison.Ordinal) ? value : result;
    }

    /// <summary>
    /// Masks the values of secret parameters in a query string (with or without its leading <c>?</c>), keeping the
    /// names. Returns the same instance when no parameter is secret.
    /// </summary>
    public string MaskQueryString(string queryString)
    {
        ArgumentNullException.ThrowIfNull(queryString);
        if (queryString.Length == 0 || !queryString.Contains('='))
        {
            return queryString;
        }

        return MaskParameters(queryString, 0, queryString.Length) ?? queryString;
    }

    private bool Decide(string name)
    {
        foreach (var part in _parts)
        {
            if (name.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        if (name.StartsWith(".AspNetCore.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var letters = new StringBuilder(name.Length);
        foreach (var word in Words(name))
        {
            if (word.StartsWith("pass", StringComparison.Ordinal) || s_secretWords.Contains(word))
            {
                return true;
            }

            letters.Append(word);
        }

        var joined = letters.ToString();
        return s_secretEndings.Any(e => joined.EndsWith(e, StringComparison.Ordinal));
    }

    /// <summary>Lower-case words of a name: split at anything not a letter or digit and where camel case starts a word.</summary>
    private static IEnumerable<string> Words(string name)
    {
        var start = -1;
        for (var i = 0; i <= name.Length; i++)
        {
            var c = i < name.Length ? name[i] : ' ';
            var boundary = !char.IsLetterOrDigit(c)
                || (start >= 0 && char.IsUpper(c) && i > start && char.IsLower(name[i - 1]));
            if (boundary && start >= 0)
            {
                yield return name[start..i].ToLowerInvariant();
                start = -1;
            }

            if (char.IsLetterOrDigit(c) && start < 0)
            {
                start = i;
            }
        }
    }

    // "Server=db; User Id = app; Password = x;" - each pair whose key is a secret name.
    private string MaskPairs(string value)
    {
        var pairs = value.Split(';');
        var changed = false;
        for (var i = 0; i < pairs.Length; i++)
        {
            var eq = pairs[i].IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = pairs[i][..eq].Trim();
            if (key.Length > 0 && key.Length <= 64 && IsSecret(key))
            {
                var valueStart = eq + 1;
                while (valueStart < pairs[i].Length && pairs[i][valueStart] == ' ')
                {
                    valueStart++;
                }

                pairs[i] = pairs[i][..valueStart] + Mask;
                changed = true;
            }
        }

        return changed ? string.Join(';', pairs) : value;
    }

    // Secret parameters after every '?' of a text (a URL, a log line that quotes one).
    private string MaskQueryParameters(string text)
    {
        var question = text.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var copied = 0;
        while (question >= 0)
        {
            var end = question + 1;
            while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not '#' and not '"' and not '\'' and not '<' and not '>')
            {
                end++;
            }

            if (MaskParameters(text, question, end) is { } masked)
            {
                builder.Append(text, copied, question - copied).Append(masked);
                copied = end;
            }

            question = end < text.Length ? text.IndexOf('?', end) : -1;
        }

        return copied == 0 ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The masked form of text[start..end] (a query string), or null when nothing in it is secret.</summary>
    private string? MaskParameters(string text, int start, int end)
    {
        StringBuilder? builder = null;
        var copied = start;
        var i = start < end && text[start] == '?' ? start + 1 : start;
        while (i < end)
        {
            var amp = text.IndexOf('&', i, end - i);
            var partEnd = amp < 0 ? end : amp;
            var eq = text.IndexOf('=', i, partEnd - i);
            if (eq > i && IsSecret(DecodeName(text.AsSpan(i, eq - i))) && partEnd > eq + 1)
            {
                builder ??= new StringBuilder(end - start);
                builder.Append(text, copied, eq + 1 - copied).Append(Mask);
                copied = partEnd;
            }

            i = partEnd + 1;
        }

        return builder?.Append(text, copied, end - copied).ToString();
    }

    private static string DecodeName(ReadOnlySpan<char> name)
    {
        var text = name.ToString();
        if (text.Contains('%') || text.Contains('+'))
        {
            try
            {
                return Uri.UnescapeDataString(text.Replace('+', ' '));
            }
            catch (UriFormatException)
            {
                return text;
            }
        }

        return text;
    }

    // Header, payload and (possibly empty) signature, base64url: "eyJhbGciOi….eyJzdWIi….c2ln".
    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant, 200)]
    private static partial Regex Jwt();

    // "Bearer <token68>" with a token long enough not to be a word of prose (RFC 6750 tokens are long random strings).
    [GeneratedRegex(@"(?<scheme>\b[Bb][Ee][Aa][Rr][Ee][Rr] +)(?!\*{8})[A-Za-z0-9\-._~+/]{16,}=*", RegexOptions.CultureInvariant, 200)]
    private static partial Regex Bearer();

    [GeneratedRegex(@"(?<user>\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^/?#@:\s]*):(?<pass>[^/?#@\s]*)@", RegexOptions.CultureInvariant, 200)]
    private static partial Regex UserInfo();

    // "https://ghp_token@github.com": a user name alone in a URL is usually a token.
    [GeneratedRegex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.\-]*://)(?!\*{8})[^/?#@:\s]+@", RegexOptions.CultureInvariant, 200)]
    private static partial Regex BareUserInfo();
}
