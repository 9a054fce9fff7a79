using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Toolbar.Panels.Sql;

/// <summary>
/// The ambient SQL collector: the state of the tracked request running on this execution context.
/// Sources call <see cref="Current"/> first; <c>null</c> (an untracked request, or no request) means
/// they must do nothing at all.
/// </summary>
internal static class SqlCapture
{
    /// <summary>The state of the tracked request on this execution context, or <c>null</c>.</summary>
    // Found through the ambient record (one AsyncLocal for the whole toolbar): a record belongs to one app, which has one SQL panel.
    public static SqlRequestState? Current => RequestRecord.Current?.FindState<SqlRequestState>();

    // Recent stacks per statement, per app (keyed by the app's options object so apps in one process never share).
    private static readonly ConditionalWeakTable<SqlPanelOptions, ConcurrentDictionary<string, (StackTrace Stack, long Taken)>> s_recentStacks = new();
    private const int MaxRecentStatements = 1024;

    /// <summary>
    /// A raw stack (no file info, no formatting) when the state wants one; resolved later by <see cref="AppCode"/>.
    /// A stack is the most expensive thing the panel collects, so under load a statement seen within
    /// <see cref="SqlPanelOptions.StackReuseWindow"/> reuses the stack taken then.
    /// </summary>
    public static StackTrace? CaptureStack(SqlRequestState state, DbCommand command)
    {
        var sql = command.CommandText ?? "";
        if (!state.WantsStack(sql))
        {
            return null;
        }

        var window = state.Options.StackReuseWindow;
        if (window <= TimeSpan.Zero)
        {
            return new StackTrace(2, false);
        }

        var recent = s_recentStacks.GetValue(state.Options, static _ => new(StringComparer.Ordinal));
        var now = Stopwatch.GetTimestamp();
        if (recent.TryGetValue(sql, out var seen) && Stopwatch.GetElapsedTime(seen.Taken, now) < window)
        {
            return seen.Stack;
        }

        var stack = new StackTrace(2, false);
        if (recent.Count < MaxRecentStatements || recent.ContainsKey(sql))
        {
            recent[sql] = (stack, now);
        }

        return stack;
    }

    /// <summary>Starts a command with the ambient state, or returns <c>null</c> when nothing is tracked or another source owns it.</summary>
    public static (SqlRequestState State, SqlRequestState.InFlight Flight)? Begin(DbCommand command, SqlSource source, DbConnection? connection, object? alias = null)
    {
        var state = Current;
        if (state is null)
        {
            return null;
        }

        try
        {
            var flight = state.Begin(command, source, connection, alias, CaptureStack(state, command));
            return flight is null ? null : (state, flight);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Collection must never break the app's command.
            return null;
        }
    }
}
