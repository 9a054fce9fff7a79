using System.Diagnostics;

namespace Toolbar.Panels.Timing;

/// <summary>
/// A span reported by a <see cref="DiagnosticListener"/> event rather than an <see cref="Activity"/>
/// (EF Core commands): it hangs under the activity that was current when it ran.
/// </summary>
internal sealed record CommandSpan(Activity? Parent, string Source, DateTime StartUtc, TimeSpan Duration, string Text, bool Error)
{
    private const int MaxNameLength = 80;

    /// <summary>The command text on one line, shortened: the span's name in the waterfall (computed when the tree is built).</summary>
    public string Name
    {
        get
        {
            var name = string.Join(' ', Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return name.Length > MaxNameLength ? name[..MaxNameLength] + "…" : name;
        }
    }
}
