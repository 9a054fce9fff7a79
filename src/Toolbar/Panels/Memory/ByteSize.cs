using System.Globalization;

namespace Toolbar.Panels.Memory;

/// <summary>Human-readable byte sizes (1024-based, one decimal).</summary>
internal static class ByteSize
{
    public static string Format(long bytes)
    {
        var sign = bytes < 0 ? "-" : "";
        double value = Math.Abs(bytes);
        if (value < 1024)
        {
            return sign + value.ToString("0", CultureInfo.InvariantCulture) + " B";
        }

        string[] units = ["KB", "MB", "GB", "TB"];
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return sign + value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>Signed form for deltas: <c>+1.2 MB</c>, <c>-300 B</c>, <c>0 B</c>.</summary>
    public static string FormatDelta(long bytes) => (bytes > 0 ? "+" : "") + Format(bytes);
}
