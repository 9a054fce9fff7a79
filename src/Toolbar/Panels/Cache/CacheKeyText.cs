namespace Toolbar.Panels.Cache;

/// <summary>
/// Turns a cache key into the text the panel stores: separators made readable, length bounded, and the part that
/// follows a secret-looking name masked (<c>token=abc</c>, <c>apikey:abc</c>, <c>password/abc</c>), using the toolbar's
/// <see cref="SecretMasker"/> rules for names.
/// </summary>
internal static class CacheKeyText
{
    public const int MaxLength = 500;

    private static readonly char[] s_separators = [':', '=', '/', '|', '?', '&', ';', ',', ' ', '\u001e', '\u001f', '#', '.'];

    public static string From(object? key, SecretMasker masker)
    {
        var text = key switch
        {
            null => "(null)",
            string s => s,
            _ => key.ToString() ?? key.GetType().Name,
        };
        return Mask(text, masker);
    }

    public static string Mask(string text, SecretMasker masker)
    {
        // The output cache separates the parts of its keys with control characters.
        if (text.AsSpan().IndexOfAny('\u001e', '\u001f') >= 0)
        {
            text = text.Replace('\u001e', '|').Replace('\u001f', '|');
        }

        if (text.Length > MaxLength)
        {
            text = string.Concat(text.AsSpan(0, MaxLength), "…");
        }

        // Fast path: no separator means a single token, which is a name, never a value after one.
        if (text.AsSpan().IndexOfAny(s_separators) < 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length);
        var maskNext = false;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && Array.IndexOf(s_separators, text[i]) < 0)
            {
                continue;
            }

            var token = text[start..i];
            if (token.Length > 0)
            {
                if (maskNext)
                {
                    builder.Append(SecretMasker.Mask);
                    maskNext = false;
                }
                else
                {
                    builder.Append(token);
                    maskNext = masker.IsSecret(token);
                }
            }

            if (i < text.Length)
            {
                builder.Append(text[i]);
            }

            start = i + 1;
        }

        return builder.ToString();
    }
}
