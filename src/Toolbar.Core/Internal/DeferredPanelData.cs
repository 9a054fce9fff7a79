namespace Toolbar;

/// <summary>Panel data not built yet (see <see cref="PanelContext.SetLazyData{TData}"/>).</summary>
internal abstract class DeferredPanelData(ToolbarPanel panel, Action<ToolbarPanel, Exception>? onFailure)
{
    public abstract object? Build();

    public void OnFailure(Exception ex) => onFailure?.Invoke(panel, ex);
}
