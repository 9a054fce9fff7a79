namespace Toolbar.Panels.Threads;

/// <summary>Names a wait from the runtime's event and the framework frames between the wait and the app's code.</summary>
internal static class WaitStack
{
    /// <summary>Most app frames kept per wait.</summary>
    public const int MaxFrames = 12;

    /// <summary>The runtime's <c>WaitSource</c> for a wait in <c>Monitor.Wait</c> (what the Slim primitives and task waits use).</summary>
    private const int MonitorWaitSource = 1;

    /// <summary>
    /// The wait's kind (<c>lock</c>, a task wait such as <c>Task.Result</c>, or <c>waitHandle</c>) and the framework API the
    /// app called when the stack names it. <paramref name="framework"/> holds the framework frames, innermost first.
    /// </summary>
    public static (string Kind, string? Api) Classify(bool isLock, int waitSource, IReadOnlyList<string> framework)
    {
        // The frame closest to the app's code names the API the app called; the innermost the primitive that blocked.
        string? api = null;
        string? taskApi = null;
        var taskWait = false;
        for (var i = framework.Count - 1; i >= 0; i--)
        {
            var name = CleanName(framework[i]);
            taskWait |= name.StartsWith("System.Threading.Tasks.Task.InternalWait", StringComparison.Ordinal)
                || name.StartsWith("System.Threading.Tasks.Task.SpinThenBlockingWait", StringComparison.Ordinal);
            if (ApiOf(name) is { } found)
            {
                api ??= found;
                if (taskApi is null && (found.StartsWith("Task", StringComparison.Ordinal) || found == "GetAwaiter().GetResult()"))
                {
                    taskApi = found;
                }
            }
        }

        if (isLock)
        {
            return ("lock", api ?? "lock (Monitor.Enter)");
        }

        if (taskApi is not null)
        {
            return (taskApi, taskApi);
        }

        if (taskWait)
        {
            // Sync over async whose entry frame the runtime could not name (precompiled framework code).
            return ("Task wait", "Task.Result / .Wait() / GetResult()");
        }

        return ("waitHandle", api ?? (waitSource == MonitorWaitSource ? "Monitor.Wait" : "WaitHandle.WaitOne"));
    }

    /// <summary>Whether a kind <see cref="Classify"/> gave is sync over async (a thread blocked on a task).</summary>
    public static bool IsTaskWait(string kind) => kind.StartsWith("Task", StringComparison.Ordinal) || kind.StartsWith("GetAwaiter", StringComparison.Ordinal);

    /// <summary><c>Namespace.Type.Method</c> from the runtime's full name (parameters dropped, generic arity and nested types plain).</summary>
    public static string CleanName(string fullName)
    {
        var paren = fullName.IndexOf('(', StringComparison.Ordinal);
        var name = paren >= 0 ? fullName[..paren] : fullName;
        return name.Replace('+', '.').Replace("`1", "", StringComparison.Ordinal).Replace("`2", "", StringComparison.Ordinal);
    }

    private static string? ApiOf(string name) => name switch
    {
        "System.Threading.Tasks.Task.get_Result" or "System.Threading.Tasks.Task.GetResultCore" => "Task.Result",
        "System.Runtime.CompilerServices.TaskAwaiter.GetResult" or "System.Runtime.CompilerServices.TaskAwaiter.HandleNonSuccessAndDebuggerNotification"
            or "System.Runtime.CompilerServices.ValueTaskAwaiter.GetResult" or "System.Runtime.CompilerServices.ConfiguredTaskAwaitable.ConfiguredTaskAwaiter.GetResult" => "GetAwaiter().GetResult()",
        "System.Threading.Tasks.Task.Wait" => "Task.Wait()",
        "System.Threading.Tasks.Task.WaitAll" or "System.Threading.Tasks.Task.WaitAllCore" => "Task.WaitAll()",
        "System.Threading.Tasks.Task.WaitAny" or "System.Threading.Tasks.Task.WaitAnyCore" => "Task.WaitAny()",
        "System.Threading.SemaphoreSlim.Wait" or "System.Threading.SemaphoreSlim.WaitUntilCountOrTimeout" => "SemaphoreSlim.Wait",
        "System.Threading.ManualResetEventSlim.Wait" => "ManualResetEventSlim.Wait",
        "System.Threading.WaitHandle.WaitOne" or "System.Threading.WaitHandle.WaitOneNoCheck" => "WaitHandle.WaitOne",
        "System.Threading.WaitHandle.WaitAll" => "WaitHandle.WaitAll",
        "System.Threading.WaitHandle.WaitAny" => "WaitHandle.WaitAny",
        "System.Threading.Monitor.Wait" => "Monitor.Wait",
        "System.Threading.Monitor.Enter" or "System.Threading.Monitor.ReliableEnter" => "lock (Monitor.Enter)",
        "System.Threading.Lock.Enter" or "System.Threading.Lock.EnterScope" => "lock (System.Threading.Lock)",
        "System.Threading.Thread.Join" => "Thread.Join",
        _ => null,
    };
}
