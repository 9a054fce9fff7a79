namespace Toolbar.Panels.Threads;

/// <summary>The thread pool at the start and at the end of the request.</summary>
public sealed class ThreadPoolFigures
{
    /// <summary>Thread-pool threads when the request started.</summary>
    public int ThreadsStart { get; set; }

    /// <summary>Thread-pool threads when the request finished.</summary>
    public int ThreadsEnd { get; set; }

    /// <summary>Work items waiting for a thread when the request started.</summary>
    public long QueueStart { get; set; }

    /// <summary>Work items waiting for a thread when the request finished.</summary>
    public long QueueEnd { get; set; }

    /// <summary>
    /// Net growth of the pool during the request: <see cref="ThreadsEnd"/> − <see cref="ThreadsStart"/>, or 0 when it
    /// shrank. The threads it created minus those it retired meanwhile (the runtime counts no creations apart).
    /// </summary>
    public int Injections { get; set; }

    /// <summary>Work items the whole pool completed while the request ran (every request's and timer's, not only this one's).</summary>
    public long CompletedWorkItems { get; set; }

    /// <summary>
    /// How long a work item queued when the request started waited for a thread, in ms: the delay any new
    /// work (a request, a continuation) saw. When it had not started by the end of the request, the request's duration.
    /// </summary>
    public double QueueDelayMs { get; set; }

    /// <summary>Whether that work item started before the request finished.</summary>
    public bool QueueProbeStarted { get; set; }
}
