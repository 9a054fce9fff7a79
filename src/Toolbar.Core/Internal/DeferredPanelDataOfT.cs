namespace Toolbar;

/// <summary>
/// The builder a panel passed, with the state it builds from. Nothing else: one of these is allocated per panel and
/// request, so who to tell of a failure is kept once, on the record.
/// </summary>
internal sealed class DeferredPanelData<TState, TData>(TState state, Func<TState, TData?> build) : DeferredPanelData where TData : class
{
    public override object? Build() => build(state);
}
