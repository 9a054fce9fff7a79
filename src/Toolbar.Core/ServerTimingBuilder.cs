using System.Globalization;
using System.Text;

namespace Toolbar;

/// <summary>Collects <c>Server-Timing</c> metrics for a tracked response.</summary>
public sealed class ServerTimingBuilder
{
    // One builder per thread, reused from request to request (the header is built synchronously when the response starts).
    [ThreadStatic]
    private static StringBuilder? t_cached;

    private readonly StringBuilder _value;

    /// <summary>Creates an empty builder.</summary>
    public ServerTimingBuilder()
    {
        _value = t_cached ?? new StringBuilder(256);
        t_cached = null;
        _value.Clear();
    }

    /// <summary>Adds a metric. The name is reduced to a valid token; the description is quoted and escaped.</summary>
    public ServerTimingBuilder Add(string name, double? durationMs = null, string? description = null)
    {
        if (_value.Length > 0)
        {
            _value.Append(", ");
        }

        foreach (var c in name)
        {
            _value.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        if (durationMs is { } dur)
        {
            _value.Append(CultureInfo.InvariantCulture, $";dur={Math.Round(dur, 1)}");
        }

        if (description is not null)
        {
            _value.Append(";desc=\"");
            foreach (var c in description)
            {
                if (c is '"' or '\\')
                {
                    _value.Append('\\');
                }

                // Header values must stay visible ASCII; anything else would corrupt the header.
                _value.Append(c is >= ' ' and <= '~' ? c : '?');
            }

            _value.Append('"');
        }

        return this;
    }

    /// <inheritdoc />
    public override string ToString() => _value.ToString();

    /// <summary>The header value; the builder's buffer goes back to the thread's cache and this instance must not be used again.</summary>
    internal string Finish()
    {
        var value = _value.ToString();
        if (_value.Capacity <= 4096)
        {
            t_cached = _value;
        }

        return value;
    }
}
