namespace Toolbar.Panels.Cache;

/// <summary>Renders <see cref="CacheData"/>: totals, the output cache outcome, repeated keys and the list of calls.</summary>
public partial class CachePanelView
{
}
