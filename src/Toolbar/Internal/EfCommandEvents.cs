using System.Diagnostics;

namespace Toolbar.Internal;

/// <summary>
/// The one subscription to EF Core's command events, shared by the SQL and timing panels. EF Core asks
/// <c>IsEnabled</c> for each of its many events per query and calls every subscriber of an enabled one, so one
/// subscription with both readers behind it costs half of two.
/// </summary>
internal static class EfCommandEvents
{
    public const string ListenerName = "Microsoft.EntityFrameworkCore";
    public const string Prefix = "Microsoft.EntityFrameworkCore.Database.Command.";
    public const string Executing = Prefix + "CommandExecuting";
    public const string Executed = Prefix + "CommandExecuted";
    public const string Error = Prefix + "CommandError";
    public const string Canceled = Prefix + "CommandCanceled";

    private static int s_subscribed;
    private static Action<KeyValuePair<string, object?>>? s_sql;
    private static Action<KeyValuePair<string, object?>>? s_timing;

    /// <summary>The SQL panel's reader: every command event (start, end, failure, cancellation).</summary>
    public static void OnSqlEvents(Action<KeyValuePair<string, object?>> reader)
    {
        Volatile.Write(ref s_sql, reader);
        EnsureSubscribed();
    }

    /// <summary>The timing panel's reader: commands that ended (executed or failed).</summary>
    public static void OnTimingEvents(Action<KeyValuePair<string, object?>> reader)
    {
        Volatile.Write(ref s_timing, reader);
        EnsureSubscribed();
    }

    // By event name only, never by "is this request tracked": EF Core caches a "nobody listens" answer for a
    // while, which would hide the commands of the next tracked request. EF Core also decides from the answer for
    // CommandExecuting whether to report the command's later events, so that one is on for either reader.
    private static bool IsEnabled(string name) =>
        name.StartsWith(Prefix, StringComparison.Ordinal)
        && (name is Executing or Executed or Error ? s_sql is not null || s_timing is not null : name is Canceled && s_sql is not null);

    private static void EnsureSubscribed()
    {
        if (Interlocked.Exchange(ref s_subscribed, 1) == 0)
        {
            DiagnosticListener.AllListeners.Subscribe(new ListenerObserver());
        }
    }

    private sealed class ListenerObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == ListenerName)
            {
                value.Subscribe(this, static name => IsEnabled(name));
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            // Each reader catches its own failures: a collector must never fail the app's query.
            s_sql?.Invoke(value);
            if (value.Key is Executed or Error)
            {
                s_timing?.Invoke(value);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
