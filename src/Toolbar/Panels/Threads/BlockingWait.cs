namespace Toolbar.Panels.Threads;

/// <summary>One time the request's code blocked a thread waiting for something.</summary>
public sealed class BlockingWait
{
    /// <summary>
    /// What blocked: <c>lock</c> (a contended <c>lock</c>/<c>Monitor.Enter</c>), <c>waitHandle</c> (a wait handle,
    /// <c>SemaphoreSlim.Wait</c>, <c>Monitor.Wait</c>...), or sync over async: <c>Task.Result</c>, <c>Task.Wait()</c>,
    /// <c>GetAwaiter().GetResult()</c>, <c>Task.WaitAll()</c>, <c>Task.WaitAny()</c>, or <c>Task wait</c> when the runtime's
    /// stack does not name which.
    /// </summary>
    public string Kind { get; set; } = "";

    /// <summary>The framework API the app called, when the runtime's stack names it (e.g. <c>SemaphoreSlim.Wait</c>).</summary>
    public string? Api { get; set; }

    /// <summary>How long the thread was blocked, in ms.</summary>
    public double DurationMs { get; set; }

    /// <summary>
    /// Whether a task wait is timed from the moment the thread blocked, without the spinning before it (the task library's
    /// wait events were not on yet): the call took at least <see cref="DurationMs"/>.
    /// </summary>
    public bool TimedFromBlock { get; set; }

    /// <summary>When the wait started, in ms from the request start.</summary>
    public double StartMs { get; set; }

    /// <summary>Whether the blocked thread was a thread-pool thread (one fewer to serve requests while it waited).</summary>
    public bool ThreadPoolThread { get; set; }

    /// <summary>The app's frames that blocked, innermost first (framework frames left out).</summary>
    public List<string> Stack { get; set; } = [];
}
