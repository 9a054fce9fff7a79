namespace Toolbar.Panels.Routes;

/// <summary>An endpoint the same path selects with another HTTP method.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Pattern">Pattern of the endpoint selected for it.</param>
/// <param name="DisplayName">Display name of that endpoint.</param>
public sealed record RouteTestAlternative(string Method, string Pattern, string? DisplayName);
