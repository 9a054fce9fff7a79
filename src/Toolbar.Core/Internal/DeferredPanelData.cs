namespace Toolbar;

/// <summary>Panel data not built yet (see <see cref="PanelContext.SetLazyData{TData}"/>).</summary>
internal abstract class DeferredPanelData
{
    public abstract object? Build();
}
