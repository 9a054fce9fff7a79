namespace Toolbar;

/// <summary>Panel data not built yet: the builder a panel passed to <see cref="PanelContext.SetLazyData{TData}"/>.</summary>
internal sealed class DeferredPanelData(Func<object?> build, ToolbarPanel panel, Action<ToolbarPanel, Exception>? onFailure)
{
    public object? Build() => build();

    public void OnFailure(Exception ex) => onFailure?.Invoke(panel, ex);
}
