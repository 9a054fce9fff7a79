using System.Globalization;
using System.Text;

namespace Toolbar.Panels.Timing;

/// <summary>Renders <see cref="TimingData"/> as a waterfall with a time axis, plus the browser's Navigation Timing.</summary>
public partial class TimingPanelView
{
    /// <summary>The time the server axis spans: the whole request.</summary>
    private double Scale => Math.Max(Data.DurationMs, 0.001);

    private static string Ms(double ms) => ms switch
    {
        >= 1000 => (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s",
        >= 100 => ms.ToString("0", CultureInfo.InvariantCulture) + " ms",
        _ => ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
    };

    private static string Exact(double ms) => ms.ToString("0.###", CultureInfo.InvariantCulture) + " ms";

    private static string Percent(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A time as a percentage of the axis, for <c>data-tb-left</c>/<c>data-tb-width</c>.</summary>
    private string Pct(double ms) => Percent(Math.Clamp(ms / Scale * 100, 0, 100));

    /// <summary>Axis ticks at a round step (1, 2 or 5 × 10ⁿ ms), about five across the request.</summary>
    private IEnumerable<double> Ticks()
    {
        var raw = Scale / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = (raw / magnitude) switch { < 1.5 => magnitude, < 3.5 => 2 * magnitude, < 7.5 => 5 * magnitude, _ => 10 * magnitude };
        for (var t = 0.0; t <= Scale + step / 1000; t += step)
        {
            yield return t;
        }
    }

    private string RowClass(TimingSpan span)
    {
        var classes = new StringBuilder("tb-wf-row");
        if (span.ParentId is null)
        {
            classes.Append(" tb-wf-root");
        }

        if (span.Id == Data.SlowestSpanId)
        {
            classes.Append(" tb-wf-slowest");
        }

        if (span.Unfinished)
        {
            classes.Append(" tb-wf-unfinished");
        }

        if (span.Error)
        {
            classes.Append(" tb-wf-error");
        }

        return classes.ToString();
    }

    private string BarClass(TimingSpan span)
    {
        if (span.Error)
        {
            return "tb-bar tb-bar-err";
        }

        if (span.Id == Data.SlowestSpanId)
        {
            return "tb-bar tb-bar-warn";
        }

        return "tb-bar " + span.Source switch
        {
            "request" => "tb-bar-muted",
            Profiler.ActivitySourceName => "tb-wf-step",
            "System.Net.Http" => "tb-wf-http",
            var s when s.Contains("EntityFramework", StringComparison.Ordinal) || s.Contains("Sql", StringComparison.OrdinalIgnoreCase)
                || s.Contains("Npgsql", StringComparison.Ordinal) || s.Contains("Data", StringComparison.Ordinal) => "tb-wf-db",
            _ => "tb-wf-other",
        };
    }

    private static string Kind(TimingSpan span) => span.Source switch
    {
        "request" => "request",
        Profiler.ActivitySourceName => "step",
        "System.Net.Http" => "http",
        var s => Shorten(s),
    };

    // "Experimental.System.Net.Http.Connections" says no more than "Http.Connections" in a narrow column.
    private static string Shorten(string source)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["Experimental.", "System.Net.", "Microsoft.", "System."])
        {
            if (source.StartsWith(prefix, StringComparison.Ordinal) && source.Length > prefix.Length)
            {
                source = source[prefix.Length..];
            }
        }

        return source;
    }

    private string Tooltip(TimingSpan span)
    {
        var text = new StringBuilder();
        text.Append(span.Name).Append('\n');
        text.Append("start ").Append(Exact(span.StartMs))
            .Append(", duration ").Append(Exact(span.DurationMs))
            .Append(", self ").Append(Exact(span.SelfMs)).Append('\n');
        text.Append("ends at ").Append(Exact(span.StartMs + span.DurationMs))
            .Append(" (").Append(Percent(Math.Round(span.DurationMs / Scale * 100, 1))).Append("% of the request)\n");
        text.Append("source: ").Append(span.Source);
        if (span.Unfinished)
        {
            text.Append("\nnot ended when the request finished: shown closed at its end");
        }

        if (span.Id == Data.SlowestSpanId)
        {
            text.Append("\nslowest: the most time spent in itself");
        }

        if (span.Tags is not null)
        {
            foreach (var (key, value) in span.Tags)
            {
                text.Append('\n').Append(key).Append(" = ").Append(value);
            }
        }

        return text.ToString();
    }

    private TimingSpan? Slowest => Data.SlowestSpanId is { } id ? Data.Spans.Find(s => s.Id == id) : null;

    private static IEnumerable<(string Label, double? Value)> BrowserFigures(NavigationTiming nav) =>
    [
        ("Time to first byte", nav.TtfbMs),
        ("DOMContentLoaded", nav.DomContentLoadedMs),
        ("Load", nav.LoadMs),
    ];
}
