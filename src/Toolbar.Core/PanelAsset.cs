using System.Reflection;

namespace Toolbar;

/// <summary>
/// A file a panel brings along (JS or CSS), embedded in the panel's assembly and served by the
/// toolbar at <c>{prefix}/panels/{id}/assets/{name}</c>.
/// </summary>
/// <param name="Name">File name in the URL, e.g. <c>flags.js</c>. Its extension decides the content type.</param>
/// <param name="Assembly">Assembly holding the embedded resource.</param>
/// <param name="ResourceName">Manifest resource name in <paramref name="Assembly"/>.</param>
public sealed record PanelAsset(string Name, Assembly Assembly, string ResourceName)
{
    /// <summary>Content type from the file extension.</summary>
    public string ContentType => System.IO.Path.GetExtension(Name).ToLowerInvariant() switch
    {
        ".js" or ".mjs" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".json" => "application/json; charset=utf-8",
        _ => "application/octet-stream",
    };

    /// <summary>An asset embedded in the assembly of <typeparamref name="TAnchor"/> under its manifest resource name.</summary>
    public static PanelAsset Embedded<TAnchor>(string name, string resourceName) => new(name, typeof(TAnchor).Assembly, resourceName);
}
