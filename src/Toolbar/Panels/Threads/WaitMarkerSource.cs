using System.Diagnostics.Tracing;

namespace Toolbar.Panels.Threads;

/// <summary>
/// A marker the threads panel writes into its own event stream when a request's data is first read (after the request
/// ended): once the reader has seen it, every wait that began before the end has been read too (the stream is in
/// timestamp order), so the request's list is complete.
/// </summary>
[EventSource(Name = ProviderName)]
internal sealed class WaitMarkerSource : EventSource
{
    public const string ProviderName = "Toolbar-Threads-Marker";

    public static readonly WaitMarkerSource Log = new();

    private WaitMarkerSource()
    {
    }

    [Event(1, Level = EventLevel.Informational)]
    public void RequestEnded() => WriteEvent(1);
}
