using System.Diagnostics;

namespace Toolbar.Panels.Timing;

/// <summary>
/// A span reported by a <see cref="DiagnosticListener"/> event rather than an <see cref="Activity"/>
/// (EF Core commands): it hangs under the activity that was current when it ran.
/// </summary>
internal sealed record CommandSpan(Activity? Parent, string Name, string Source, DateTime StartUtc, TimeSpan Duration, string Text, bool Error);
