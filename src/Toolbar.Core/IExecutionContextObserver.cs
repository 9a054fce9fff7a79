namespace Toolbar;

/// <summary>
/// Told when a thread starts or stops running a tracked request's execution context (see
/// <see cref="RequestRecord.AddExecutionContextObserver"/>). Both methods run on the thread that switches, on every
/// switch (each await resumption, each thread-pool hop), so keep them to a few instructions and never throw.
/// </summary>
public interface IExecutionContextObserver
{
    /// <summary>The current thread now runs the request (<see cref="Environment.CurrentManagedThreadId"/> tells which).</summary>
    void OnEntered();

    /// <summary>The current thread no longer runs the request.</summary>
    void OnLeft();
}
