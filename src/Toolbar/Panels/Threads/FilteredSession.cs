using Microsoft.Diagnostics.NETCore.Client;

namespace Toolbar.Panels.Threads;

/// <summary>
/// Starts an EventPipe session that asks the runtime for only the events it reads. A keyword brings many events the
/// panel never reads (the task library's keyword one per task scheduled, started and completed; the threading keyword
/// one each time a pool thread waits for work): each would be written into the session's buffers on the app's
/// threads and parsed by the reader. A runtime that cannot filter by event id (before .NET 10) gets the whole keyword.
/// </summary>
internal static class FilteredSession
{
    public static EventPipeSession Start(DiagnosticsClient client, EventPipeProvider[] filtered, EventPipeProvider[] unfiltered, int circularBufferSizeMB)
    {
        try
        {
            return client.StartEventPipeSession(new EventPipeSessionConfiguration(filtered, circularBufferSizeMB, requestRundown: false, requestStackwalk: false));
        }
        catch (UnsupportedCommandException)
        {
            return client.StartEventPipeSession(new EventPipeSessionConfiguration(unfiltered, circularBufferSizeMB, requestRundown: false, requestStackwalk: false));
        }
    }

    /// <summary>Only these event ids of the provider.</summary>
    public static EventPipeProviderEventFilter Only(params uint[] eventIds) => new(enable: true, eventIds);
}
