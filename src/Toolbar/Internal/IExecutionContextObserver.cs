namespace Toolbar;

/// <summary>Told when a thread starts or stops running a tracked request's execution context (see <see cref="RequestRecord.ContextObserver"/>).</summary>
internal interface IExecutionContextObserver
{
    /// <summary>The current thread now runs the request.</summary>
    void OnEntered();

    /// <summary>The current thread no longer runs the request.</summary>
    void OnLeft();
}
