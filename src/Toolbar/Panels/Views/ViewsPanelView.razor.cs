namespace Toolbar.Panels.Views;

/// <summary>Renders <see cref="ViewsData"/>: the nested list of render steps with kinds, model types and times.</summary>
public partial class ViewsPanelView
{
}
