using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Reflection;

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
    private const int MaxNameLength = 80;
    private const int MaxTextLength = 2000;

    private static readonly ConcurrentDictionary<Type, Accessors> s_accessors = new();

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

            var accessors = s_accessors.GetOrAdd(payload.GetType(), static type => new Accessors(type));
            if (accessors.Command?.GetValue(payload) is not DbCommand command
                || accessors.StartTime?.GetValue(payload) is not DateTimeOffset start
                || accessors.Duration?.GetValue(payload) is not TimeSpan duration)
            {
                return;
            }

            var text = command.CommandText ?? "";
            state.Add(new CommandSpan(Activity.Current, NameOf(text), ListenerName, start.UtcDateTime, duration,
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

    /// <summary>The command text on one line, shortened: the span's name in the waterfall.</summary>
    private static string NameOf(string text)
    {
        var name = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return name.Length > MaxNameLength ? name[..MaxNameLength] + "…" : name;
    }

    private sealed class Accessors(Type type)
    {
        public PropertyInfo? Command { get; } = type.GetProperty("Command", BindingFlags.Public | BindingFlags.Instance);

        public PropertyInfo? StartTime { get; } = type.GetProperty("StartTime", BindingFlags.Public | BindingFlags.Instance);

        public PropertyInfo? Duration { get; } = type.GetProperty("Duration", BindingFlags.Public | BindingFlags.Instance);
    }
}
