namespace Toolbar;

/// <summary>
/// Metadata on every endpoint the toolbar maps (its API, panel HTML, assets and the panels' own endpoints): the
/// middleware runs them wherever it sits in the pipeline, and a panel that lists the app's endpoints can tell the
/// toolbar's from the app's with <c>endpoint.Metadata.GetMetadata&lt;ToolbarEndpointMetadata&gt;() is not null</c>.
/// </summary>
public sealed class ToolbarEndpointMetadata
{
    private ToolbarEndpointMetadata()
    {
    }

    /// <summary>The one instance the toolbar attaches.</summary>
    public static ToolbarEndpointMetadata Instance { get; } = new();
}
