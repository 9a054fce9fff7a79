namespace Toolbar.Internal;

/// <summary>Several observers of one request's execution context, told in registration order. Immutable: adding makes a new one.</summary>
internal sealed class ExecutionContextObservers(IExecutionContextObserver[] observers) : IExecutionContextObserver
{
    public ExecutionContextObservers With(IExecutionContextObserver observer) => new([.. observers, observer]);

    public void OnEntered()
    {
        foreach (var observer in observers)
        {
            observer.OnEntered();
        }
    }

    public void OnLeft()
    {
        foreach (var observer in observers)
        {
            observer.OnLeft();
        }
    }
}
