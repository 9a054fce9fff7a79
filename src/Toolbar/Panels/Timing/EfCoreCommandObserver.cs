using System.Data.Common;
using System.Diagnostics;
using Toolbar.Internal;

namespace Toolbar.Panels.Timing;

/// <summary>
/// EF Core reports commands through its <see cref="DiagnosticListener"/>, not as activities. This observer turns
/// each executed (or failed) command of a tracked request into a span, read by reflection so the toolbar needs
/// no EF Core reference. EF Core builds the event payload only when <c>IsEnabled</c> says so: untracked
/// requests get <c>false</c>, so they pay nothing.
/// </summary>
internal sealed class EfCoreCommandObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    public const string ListenerName = "Microsoft.EntityFrameworkCore";
    private const string Executed = "Microsoft.EntityFrameworkCore.Database.Command.CommandExecuted";
    private const string Failed = "Microsoft.EntityFrameworkCore.Database.Command.CommandError";
    private const int MaxTextLength = 2000;

    private static readonly PropertyReader s_command = new("Command");
    private static readonly PropertyReader s_startTime = new("StartTime");
    private static readonly PropertyReader s_duration = new("Duration");

    public static readonly EfCoreCommandObserver Instance = new();

    private readonly Func<string, object?, object?, bool> _isEnabled = static (name, _, _) =>
        name is Executed or Failed && TimingListener.CurrentState() is not null;

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == ListenerName)
        {
            value.Subscribe(this, _isEnabled);
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
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

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }
}
