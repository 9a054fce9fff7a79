namespace Toolbar.Panels.Request;

/// <summary>Renders <see cref="RequestData"/>.</summary>
public partial class RequestPanelView
{
}
