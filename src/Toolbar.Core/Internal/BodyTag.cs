namespace Toolbar.Internal;

/// <summary>Finds <c>&lt;/body&gt;</c> (ASCII case-insensitive) in raw bytes of an ASCII-compatible encoding.</summary>
internal static class BodyTag
{
    public const int Length = 7; // "</body>"

    /// <summary>Index of the last complete <c>&lt;/body&gt;</c> in <paramref name="bytes"/>, or -1.</summary>
    public static int LastIndexOf(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        while (end >= Length)
        {
            // LastIndexOf is vectorized; real pages put the tag near the end, so this is usually one hop.
            var lt = bytes[..(end - Length + 1)].LastIndexOf((byte)'<');
            if (lt < 0)
            {
                return -1;
            }

            if (IsTagAt(bytes, lt))
            {
                return lt;
            }

            end = lt + Length - 1;
        }

        return -1;
    }

    /// <summary>
    /// Length of the longest suffix of <paramref name="bytes"/> that is a proper prefix of the tag
    /// (<c>&lt;</c>, <c>&lt;/</c>, … <c>&lt;/body</c>): bytes that may become a tag with the next write.
    /// </summary>
    public static int PartialSuffixLength(ReadOnlySpan<byte> bytes)
    {
        var max = Math.Min(Length - 1, bytes.Length);
        for (var k = max; k > 0; k--)
        {
            if (MatchesPrefix(bytes[^k..]))
            {
                return k;
            }
        }

        return 0;
    }

    private static bool IsTagAt(ReadOnlySpan<byte> bytes, int index) =>
        index + Length <= bytes.Length && MatchesPrefix(bytes.Slice(index, Length));

    private static bool MatchesPrefix(ReadOnlySpan<byte> candidate)
    {
        ReadOnlySpan<byte> tag = "</body>"u8;
        for (var i = 0; i < candidate.Length; i++)
        {
            var b = candidate[i];
            // Fold ASCII letters to lower case; the tag's punctuation compares as is.
            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                b = (byte)(b | 0x20);
            }

            if (b != tag[i])
            {
                return false;
            }
        }

        return true;
    }
}
