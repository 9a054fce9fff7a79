using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Toolbar.Panels.Sql;

/// <summary>
/// The ambient SQL collector: the state of the tracked request running on this execution context.
/// Sources call <see cref="Current"/> first; <c>null</c> (an untracked request, or no request) means
/// they must do nothing at all.
/// </summary>
internal static class SqlCapture
{
    private static readonly Assembly s_ownAssembly = typeof(SqlCapture).Assembly;
    private static readonly ConcurrentDictionary<MethodBase, string?> s_frameText = new();

    // Library frames that are never the answer to "where in my code did this query come from".
    private static readonly string[] s_libraryPrefixes =
    [
        "System", "Microsoft", "Dapper", "Npgsql", "MySqlConnector", "MySql", "Pomelo", "Oracle", "SQLitePCL",
        "linq2db", "NHibernate", "xunit", "Castle", "Polly", "FluentAssertions", "Newtonsoft",
    ];

    /// <summary>The state of the tracked request on this execution context, or <c>null</c>.</summary>
    // Found through the ambient record (one AsyncLocal for the whole toolbar): a record belongs to one app, which has one SQL panel.
    public static SqlRequestState? Current => RequestRecord.Current?.FindState<SqlRequestState>();

    // Recent stacks per statement, per app (keyed by the app's options object so apps in one process never share).
    private static readonly ConditionalWeakTable<SqlPanelOptions, ConcurrentDictionary<string, (StackTrace Stack, long Taken)>> s_recentStacks = new();
    private const int MaxRecentStatements = 1024;

    /// <summary>
    /// A raw stack (no file info, no formatting) when the state wants one; resolved later by <see cref="AppFrames"/>.
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

    /// <summary>The app's frames of a raw stack, innermost first, as <c>Type.Method</c>.</summary>
    public static List<string> AppFrames(StackTrace? stack, int max)
    {
        var frames = new List<string>();
        if (stack is null)
        {
            return frames;
        }

        for (var i = 0; i < stack.FrameCount && frames.Count < max; i++)
        {
            if (stack.GetFrame(i)?.GetMethod() is not { } method)
            {
                continue;
            }

            // The same few methods recur in every stack: describe each once per process.
            var text = s_frameText.GetOrAdd(method, static m => m.DeclaringType is { } type && type.Assembly != s_ownAssembly && !IsLibrary(type.Assembly)
                ? Describe(type, m)
                : null);
            if (text is not null && (frames.Count == 0 || frames[^1] != text))
            {
                frames.Add(text);
            }
        }

        return frames;
    }

    private static bool IsLibrary(Assembly assembly)
    {
        var name = assembly.GetName().Name ?? "";
        foreach (var prefix in s_libraryPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && (name.Length == prefix.Length || name[prefix.Length] == '.'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>Namespace.Type.Method</c>, with compiler-generated async/lambda types folded into the method that wrote them.</summary>
    private static string Describe(Type type, MethodBase method)
    {
        var methodName = method.Name;
        // Async state machines and lambdas live in nested types like <OnGetAsync>d__5 or <>c__DisplayClass3_0.
        while (type.DeclaringType is not null && type.Name.StartsWith('<'))
        {
            var close = type.Name.IndexOf('>', StringComparison.Ordinal);
            if (close > 1 && methodName is "MoveNext")
            {
                methodName = type.Name[1..close];
            }

            type = type.DeclaringType;
        }

        if (methodName.StartsWith('<'))
        {
            var close = methodName.IndexOf('>', StringComparison.Ordinal);
            methodName = close > 1 ? methodName[1..close] + " (lambda)" : methodName;
        }

        var builder = new StringBuilder(type.FullName ?? type.Name).Append('.').Append(methodName);
        return builder.ToString();
    }
}
