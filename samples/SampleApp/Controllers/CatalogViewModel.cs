namespace SampleApp.Controllers;

/// <summary>Model of the catalog view.</summary>
public sealed record CatalogViewModel(IReadOnlyList<string> Categories);
