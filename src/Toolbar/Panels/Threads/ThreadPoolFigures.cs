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
    /// Worker threads the pool started while the request ran, counted from the runtime's own
    /// <c>ThreadPoolWorkerThreadStart</c> events (the pool is shared: any request's or timer's demand may have caused
    /// them). When the events were not read (<see cref="InjectionsCounted"/> false): the net growth
    /// <see cref="ThreadsEnd"/> − <see cref="ThreadsStart"/>, at least 0.
    /// </summary>
    public int Injections { get; set; }

    /// <summary>Whether <see cref="Injections"/> was counted from the runtime's thread-start events (else it is net growth).</summary>
    public bool InjectionsCounted { get; set; }

    /// <summary>Worker threads that ended (idle too long) while the request ran, from the runtime's events.</summary>
    public int Retirements { get; set; }

    /// <summary>Why the pool changed its thread goal meanwhile, as the runtime says (<c>Starvation</c>, <c>CooperativeBlocking</c>, <c>ClimbingMove</c>...).</summary>
    public List<string> AdjustmentReasons { get; set; } = [];

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
