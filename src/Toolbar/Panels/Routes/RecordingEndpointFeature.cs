using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Toolbar.Panels.Routes;

/// <summary>
/// Stands in for the server's endpoint feature and remembers the last endpoint routing chose. Some endpoints clear
/// the endpoint before they hand over (<c>MapFallbackToFile</c> does, to let the static files middleware serve
/// the file), so "the endpoint at the end" is not "the endpoint that ran"; this is.
/// </summary>
internal sealed class RecordingEndpointFeature(IEndpointFeature? inner) : IEndpointFeature
{
    private Endpoint? _own;

    /// <summary>The last non-null endpoint set while the request ran.</summary>
    public Endpoint? LastMatched { get; private set; } = inner?.Endpoint;

    public Endpoint? Endpoint
    {
        get => inner is null ? _own : inner.Endpoint;
        set
        {
            if (inner is null)
            {
                _own = value;
            }
            else
            {
                inner.Endpoint = value;
            }

            if (value is not null)
            {
                LastMatched = value;
            }
        }
    }
}
