using System.Data.Common;
using System.Diagnostics;
using System.Reflection;
using Toolbar.Internal;

namespace Toolbar.Panels.Sql;

/// <summary>
/// Zero-code capture: listens to EF Core's and SqlClient's <see cref="DiagnosticListener"/> events.
/// Subscribed once per process; each event is routed to the ambient request's state (never to
/// "the latest request"), and events outside a tracked request return at the first check.
/// </summary>
internal sealed class SqlDiagnosticSubscriber : IObserver<DiagnosticListener>
{
    private const string EfPrefix = EfCommandEvents.Prefix;
    private const string SqlClientListener = "SqlClientDiagnosticListener";
    private const string EfListener = "Microsoft.EntityFrameworkCore";
    private const string EfTransactionPrefix = "Microsoft.EntityFrameworkCore.Database.Transaction.";

    private static int s_subscribed;

    private static readonly PropertyReader s_command = new("Command");
    private static readonly PropertyReader s_duration = new("Duration");
    private static readonly PropertyReader s_result = new("Result");
    private static readonly PropertyReader s_exception = new("Exception");
    private static readonly PropertyReader s_executeMethod = new("ExecuteMethod");
    private static readonly PropertyReader s_transaction = new("Transaction");

    private readonly List<IDisposable> _subscriptions = [];

    /// <summary>Subscribes to every present and future diagnostic listener, once per process.</summary>
    public static void EnsureSubscribed()
    {
        if (Interlocked.Exchange(ref s_subscribed, 1) == 0)
        {
            // EF Core through the subscription it shares with the timing panel; SqlClient through our own.
            EfCommandEvents.OnSqlEvents(OnEfEvent);
            DiagnosticListener.AllListeners.Subscribe(new SqlDiagnosticSubscriber());
        }
    }

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == EfListener)
        {
            // Transactions only (rare events); commands come through the subscription shared with the timing panel.
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(new Observer(OnEfTransactionEvent), static name => name.StartsWith(EfTransactionPrefix, StringComparison.Ordinal)
                    && name.AsSpan(EfTransactionPrefix.Length) is "TransactionStarted" or "TransactionCommitted" or "TransactionRolledBack" or "TransactionError"));
            }
        }
        else if (value.Name == SqlClientListener)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(new Observer(OnSqlClientEvent), static name =>
                    name.EndsWith(".WriteCommandBefore", StringComparison.Ordinal)
                    || name.EndsWith(".WriteCommandAfter", StringComparison.Ordinal)
                    || name.EndsWith(".WriteCommandError", StringComparison.Ordinal)));
            }
        }
    }

    public void OnError(Exception error)
    {
    }

    public void OnCompleted()
    {
    }

    private static void OnEfEvent(KeyValuePair<string, object?> evt)
    {
        // Outside a tracked request this is the only work done per event.
        var state = SqlCapture.Current;
        if (state is null || evt.Value is not { } payload)
        {
            return;
        }

        try
        {
            if (s_command.Read(payload) is not DbCommand command)
            {
                return;
            }

            var name = evt.Key.AsSpan(EfPrefix.Length);
            if (name is "CommandExecuting")
            {
                if (command.Connection is { } connection)
                {
                    // The first time a connection string is seen, remember the one EF Core was configured with:
                    // some providers (Oracle's MySQL connector) forget the password once connected.
                    SqlConnectionTarget.For(connection, () => EfConnectionString(payload));
                }

                // The stack is taken here, before EF Core's first await: later, the app's frames may be gone.
                state.Begin(command, SqlSource.EFCore, command.Connection, null, SqlCapture.CaptureStack(state, command));
                return;
            }

            var duration = s_duration.Read(payload) is TimeSpan span ? span.TotalMilliseconds : (double?)null;
            var method = ExecuteMethod(s_executeMethod.Read(payload));
            int? rows = null;
            string? error = null;
            Exception? exception = null;
            if (name is "CommandExecuted")
            {
                rows = s_result.Read(payload) is int affected ? affected : null;
            }
            else if (name is "CommandError")
            {
                exception = s_exception.Read(payload) as Exception;
                error = exception is not null ? Describe(exception) : "Error";
            }
            else
            {
                error = "Canceled";
            }

            if (state.Find(command, SqlSource.EFCore) is { } flight)
            {
                state.End(flight, duration, method, rows, error, exception);
            }
            else if (!state.IsInFlight(command))
            {
                state.EndUnseen(command, SqlSource.EFCore, duration ?? 0, method, rows, error, exception);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A collector failure must never surface in the app's query.
        }
    }

    private static readonly PropertyReader s_context = new("Context");
    private static MethodInfo? s_getConnectionString;

    // RelationalDatabaseFacadeExtensions.GetConnectionString(context.Database), found by reflection: the toolbar does not reference EF Core.
    private static string? EfConnectionString(object payload)
    {
        if (s_context.Read(payload) is not { } context || context.GetType().GetProperty("Database")?.GetValue(context) is not { } facade)
        {
            return null;
        }

        s_getConnectionString ??= Type.GetType("Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions, Microsoft.EntityFrameworkCore.Relational")
            ?.GetMethod("GetConnectionString", BindingFlags.Public | BindingFlags.Static, [facade.GetType()]);
        return s_getConnectionString?.Invoke(null, [facade]) as string;
    }

    private static void OnEfTransactionEvent(KeyValuePair<string, object?> evt)
    {
        var state = SqlCapture.Current;
        if (state is null || evt.Value is not { } payload)
        {
            return;
        }

        try
        {
            if (s_transaction.Read(payload) is not System.Data.Common.DbTransaction transaction)
            {
                return;
            }

            switch (evt.Key.AsSpan(EfTransactionPrefix.Length))
            {
                case "TransactionStarted":
                    state.TransactionStarted(transaction, SqlSource.EFCore);
                    break;
                case "TransactionCommitted":
                    state.TransactionEnded(transaction, SqlSource.EFCore, "committed");
                    break;
                case "TransactionRolledBack":
                    state.TransactionEnded(transaction, SqlSource.EFCore, "rolledBack");
                    break;
                default:
                    state.TransactionEnded(transaction, SqlSource.EFCore, "failed");
                    break;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A collector failure must never surface in the app's transaction.
        }
    }

    private static void OnSqlClientEvent(KeyValuePair<string, object?> evt)
    {
        var state = SqlCapture.Current;
        if (state is null || evt.Value is not { } payload)
        {
            return;
        }

        try
        {
            if (s_command.Read(payload) is not DbCommand command)
            {
                return;
            }

            if (evt.Key.EndsWith(".WriteCommandBefore", StringComparison.Ordinal))
            {
                // EF Core or a profiled connection may already own this command: then this is a no-op.
                state.Begin(command, SqlSource.SqlClient, command.Connection, null, SqlCapture.CaptureStack(state, command));
            }
            else if (state.Find(command, SqlSource.SqlClient) is { } flight)
            {
                var exception = evt.Key.EndsWith(".WriteCommandError", StringComparison.Ordinal) ? s_exception.Read(payload) as Exception : null;
                var error = exception is not null ? Describe(exception) : evt.Key.EndsWith(".WriteCommandError", StringComparison.Ordinal) ? "Error" : null;
                state.End(flight, null, null, null, error, exception);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A collector failure must never surface in the app's query.
        }
    }

    // EF Core's DbCommandMethod, a boxed enum: its name is looked up once per value, not formatted per command.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<object, string> s_executeMethods = new();

    private static string? ExecuteMethod(object? value) => value switch
    {
        null => null,
        Enum => s_executeMethods.GetOrAdd(value, static v => MethodName(v.ToString())),
        _ => MethodName(value.ToString()),
    };

    private static string MethodName(string? text) =>
        text is null ? "" : text.StartsWith("Execute", StringComparison.Ordinal) ? text["Execute".Length..] : text;

    internal static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}";

    private sealed class Observer(Action<KeyValuePair<string, object?>> onNext) : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value) => onNext(value);

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }
}
