namespace Toolbar.Panels.History;

/// <summary>Renders the history panel's frame; history.js fills the list from the panel's <c>entries</c> endpoint.</summary>
public partial class HistoryPanelView
{
}
