namespace Toolbar.Panels.Sql;

/// <summary>
/// Options of the SQL panel. Configure with <c>services.Configure&lt;SqlPanelOptions&gt;(o =&gt; ...)</c>
/// before the app is built; the panel reads them once.
/// </summary>
public sealed class SqlPanelOptions
{
    /// <summary>
    /// Commands kept in detail per request (default 1000). Beyond it, commands are still counted and
    /// timed exactly, but their text, parameters and stacks are not kept.
    /// </summary>
    public int MaxQueriesPerRequest { get; set; } = 1000;

    /// <summary>How many runs of one statement with different parameters make an N+1 warning (default 5).</summary>
    public int NPlusOneThreshold { get; set; } = 5;

    /// <summary>Whether each command records the app's call stack (default true). Off makes capture cheaper.</summary>
    public bool CaptureStackTraces { get; set; } = true;

    /// <summary>
    /// Runs of one statement (same SQL text) whose stack is captured, per request (default 1: the call site of
    /// the first run, which is also the N+1 group's call site). Capturing a stack costs tens of microseconds and
    /// was the largest single cost of a tracked page in the load benchmark; raise it (<c>Toolbar:Sql:MaxStacksPerStatement</c>)
    /// when one statement is issued from several places.
    /// </summary>
    public int MaxStacksPerStatement { get; set; } = 1;

    /// <summary>
    /// A statement whose stack was taken less than this long ago reuses that stack instead of taking a new one
    /// (default 1 second; zero turns reuse off). It keeps stacks nearly free under load, while a developer
    /// clicking through pages gets a fresh stack per page. The one thing it can blur: the same SQL text issued
    /// from two places within the window shows the first place.
    /// </summary>
    public TimeSpan StackReuseWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>App frames kept per command (default 12).</summary>
    public int MaxStackFrames { get; set; } = 12;

    /// <summary>Longest parameter value kept, in characters (default 500); longer values are cut.</summary>
    public int MaxParameterLength { get; set; } = 500;
}
