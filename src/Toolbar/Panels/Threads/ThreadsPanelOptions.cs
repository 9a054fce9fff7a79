namespace Toolbar.Panels.Threads;

/// <summary>
/// Options of the threads panel. Configure with <c>services.Configure&lt;ThreadsPanelOptions&gt;(o =&gt; ...)</c> or the
/// <c>Toolbar:Threads</c> configuration section, before the app is built; the panel reads them once.
/// </summary>
public sealed class ThreadsPanelOptions
{
    /// <summary>
    /// Whether sync over async (<c>Task.Result</c>, <c>.Wait()</c>, <c>GetAwaiter().GetResult()</c>) is timed from the call
    /// (its spinning included) by the task library's own wait events from the start. Off (the default), those events are
    /// turned on only once a tracked request was seen blocking on a task (that first wait is timed from the moment its
    /// thread blocked, and flagged <see cref="BlockingWait.TimedFromBlock"/>): while they are on, every <c>await</c> of the
    /// process writes task events, which costs requests that never block.
    /// </summary>
    public bool TaskWaits { get; set; }
}
