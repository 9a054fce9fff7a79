namespace Toolbar;

/// <summary>The builder a panel passed, with the state it builds from.</summary>
internal sealed class DeferredPanelData<TState, TData>(TState state, Func<TState, TData?> build, ToolbarPanel panel, Action<ToolbarPanel, Exception>? onFailure)
    : DeferredPanelData(panel, onFailure) where TData : class
{
    public override object? Build() => build(state);
}
