namespace Toolbar.Panels.Cache;

/// <summary>A cache wrapper of the toolbar (so a service is never wrapped twice, and tests can find the app's own cache).</summary>
internal interface IInstrumentedCache
{
    /// <summary>The app's cache behind the wrapper.</summary>
    object Inner { get; }
}
