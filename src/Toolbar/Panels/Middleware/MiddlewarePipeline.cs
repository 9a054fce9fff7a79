namespace Toolbar.Panels.Middleware;

/// <summary>
/// The app's middleware pipeline as the middleware panel saw it being built: every middleware in order,
/// with the ordering mistakes that can be decided from that order. One per app (a singleton).
/// </summary>
internal sealed class MiddlewarePipeline
{
    private readonly List<MiddlewareInfo> _entries = [];
    private IReadOnlyList<MiddlewareWarning> _warnings = [];

    /// <summary>Whether probes were put into the pipeline (the toolbar can track requests and the panel is on).</summary>
    public bool Instrumented { get; private set; }

    /// <summary>Why the app's own middleware could not be listed one by one, or <c>null</c>.</summary>
    public string? Limitation { get; private set; }

    public IReadOnlyList<MiddlewareInfo> Entries => _entries;

    public int Count => _entries.Count;

    public IReadOnlyList<MiddlewareWarning> Warnings => _warnings;

    internal int Add(Func<int, MiddlewareInfo> describe)
    {
        lock (_entries)
        {
            var index = _entries.Count;
            _entries.Add(describe(index));
            return index;
        }
    }

    internal void MarkInstrumented() => Instrumented = true;

    internal void SetLimitation(string limitation) => Limitation = limitation;

    internal void Complete() => _warnings = MiddlewareWarnings.Find(_entries);
}
