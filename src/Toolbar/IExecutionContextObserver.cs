namespace Toolbar;

/// <summary>
/// Told each time a thread starts or stops running a tracked request's execution context: when the request
/// resumes after an <c>await</c> on a pool thread, when it leaves one, when work it queued runs. Register one
/// with <see cref="RequestRecord.AddExecutionContextObserver"/> to measure per-thread figures of exactly one
/// request (allocated bytes, the threads and times a CPU sample may belong to).
/// </summary>
/// <remarks>
/// Both methods run on the thread that switches, inside the runtime's execution-context switch, for every switch
/// of the request: keep them to a few field writes, never throw, never block, never allocate if you can help it.
/// The thread that registers the observer is already running the request; call <see cref="OnEntered"/> yourself
/// for it when you need its part.
/// </remarks>
public interface IExecutionContextObserver
{
    /// <summary>The current thread now runs the request.</summary>
    void OnEntered();

    /// <summary>The current thread no longer runs the request.</summary>
    void OnLeft();
}
