namespace Toolbar.Panels.Threads;

/// <summary>
/// Options of the threads panel. Configure with <c>services.Configure&lt;ThreadsPanelOptions&gt;(o =&gt; ...)</c> or the
/// <c>Toolbar:Threads</c> configuration section, before the app is built; the panel reads them once.
/// </summary>
public sealed class ThreadsPanelOptions
{
    /// <summary>
    /// Whether sync over async (<c>Task.Result</c>, <c>.Wait()</c>, <c>GetAwaiter().GetResult()</c>) is timed by the task
    /// library's own wait events, from the moment the wait begins (its spinning included). Off (the default), such a wait
    /// is still listed, named and located from the runtime's report of the blocked thread, timed from the moment the
    /// thread blocks (after it spun); on, every <c>await</c> of the process writes task events while the panel listens,
    /// which costs the app throughput on short requests.
    /// </summary>
    public bool TaskWaits { get; set; }
}
