using System.Data.Common;
using System.Diagnostics;
using Toolbar.Internal;

namespace Toolbar.Panels.Timing;

/// <summary>
/// EF Core reports commands through its <see cref="DiagnosticListener"/>, not as activities. This reader turns
/// each executed (or failed) command of a tracked request into a span, read by reflection so the toolbar needs
/// no EF Core reference. It gets the events through <see cref="EfCommandEvents"/>, the subscription it shares
/// with the SQL panel.
/// </summary>
internal static class EfCoreCommandObserver
{
    public const string ListenerName = EfCommandEvents.ListenerName;
    private const string Executed = EfCommandEvents.Executed;
    private const string Failed = EfCommandEvents.Error;
    private const int MaxTextLength = 2000;

    private static readonly PropertyReader s_command = new("Command");
    private static readonly PropertyReader s_startTime = new("StartTime");
    private static readonly PropertyReader s_duration = new("Duration");

    public static void OnNext(KeyValuePair<string, object?> value)
    {
        try
        {
            if (value.Key is not (Executed or Failed) || value.Value is not { } payload || TimingListener.CurrentState() is not { } state)
            {
                return;
            }

            if (s_command.Read(payload) is not DbCommand command
                || s_startTime.Read(payload) is not DateTimeOffset start
                || s_duration.Read(payload) is not TimeSpan duration)
            {
                return;
            }

            var text = command.CommandText ?? "";
            state.Add(new CommandSpan(Activity.Current, ListenerName, start.UtcDateTime, duration,
                text.Length > MaxTextLength ? text[..MaxTextLength] + "…" : text, value.Key == Failed));
        }
        catch (Exception)
        {
            // Never let the toolbar fail the app's query.
        }
    }
}
