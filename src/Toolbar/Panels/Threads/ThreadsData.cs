namespace Toolbar.Panels.Threads;

/// <summary>The threads panel's data: the request's blocking waits and the thread pool around it.</summary>
public sealed class ThreadsData
{
    /// <summary>Every blocking wait of at least <see cref="ThresholdMs"/> by the request's code, in the order they began.</summary>
    public List<BlockingWait> BlockingWaits { get; set; } = [];

    /// <summary>The thread pool's figures at the start and the end of the request.</summary>
    public ThreadPoolFigures ThreadPool { get; set; } = new();

    /// <summary>Shortest wait listed, in ms (shorter ones are a task that was already done, or too short to matter).</summary>
    public double ThresholdMs { get; set; }

    /// <summary>Waits left out because the request had more than the panel keeps.</summary>
    public int DroppedWaits { get; set; }

    /// <summary>Total time the request's threads spent blocked, in ms.</summary>
    public double BlockedMs { get; set; }

    /// <summary>Whether the runtime's wait events were being read during the request (they start with the first tracked request).</summary>
    public bool WaitsWatched { get; set; }

    /// <summary>Whether every wait event up to the request's end had been read when the list was made.</summary>
    public bool WaitsComplete { get; set; }

    /// <summary>Thread-pool starvation seen during the request (new work waited for a thread), or <c>null</c>.</summary>
    public string? StarvationWarning { get; set; }
}
