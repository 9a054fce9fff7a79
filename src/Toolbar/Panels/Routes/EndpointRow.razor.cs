namespace Toolbar.Panels.Routes;

/// <summary>One row of the route map table.</summary>
public partial class EndpointRow
{
}
