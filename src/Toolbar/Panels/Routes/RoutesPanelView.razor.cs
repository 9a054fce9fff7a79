namespace Toolbar.Panels.Routes;

/// <summary>Renders <see cref="RoutesData"/>: this request's route, the route tester and the route map.</summary>
public partial class RoutesPanelView
{
}
