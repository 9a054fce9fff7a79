using Microsoft.AspNetCore.Http;

namespace Toolbar.Internal;

/// <summary>
/// Tells asset responses (static files, framework files of Blazor WebAssembly, styles, scripts, images,
/// fonts, media, source maps) from the pages and API calls a developer wants to look at. Decided from
/// what served the response: a static-asset endpoint, the response's content type, then the path (its
/// framework folders and its extension), so it holds for any app, not one layout.
/// </summary>
internal static class AssetClassifier
{
    // Extensions of files that are only ever assets; data formats an API may answer (json, xml, txt) are not here.
    private static readonly HashSet<string> s_assetExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".css", ".js", ".mjs", ".cjs", ".map", ".wasm", ".dll", ".pdb", ".dat", ".blat", ".webcil",
        ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp", ".avif", ".bmp", ".tif", ".tiff", ".cur",
        ".woff", ".woff2", ".ttf", ".otf", ".eot",
        ".mp3", ".mp4", ".webm", ".ogg", ".wav", ".m4a", ".avi", ".mov",
        ".br", ".gz", ".scss", ".less", ".webmanifest",
    };

    // Folders the framework serves its own files from (Blazor's runtime, Razor class libraries' static web assets).
    private static readonly string[] s_assetFolders = ["/_framework/", "/_content/", "/_blazor/initializers"];

    /// <summary>Whether the finished (or starting) response of this request is an asset.</summary>
    public static bool IsAsset(HttpContext context, string? contentType)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is not null && IsStaticAssetEndpoint(endpoint))
        {
            return true;
        }

        // The framework's own folders hold nothing but files (a Blazor boot manifest is JSON, and still an asset).
        var path = context.Request.Path.Value ?? "";
        foreach (var folder in s_assetFolders)
        {
            if (path.Contains(folder, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        if (contentType is not null)
        {
            if (IsAssetContentType(contentType))
            {
                return true;
            }

            if (IsPageOrData(contentType))
            {
                // An HTML page (a SPA fallback's index.html too), JSON, XML, text: what developers look at.
                return false;
            }
        }

        return IsAssetPath(path);
    }

    /// <summary>Whether the path's extension is one of an asset (a 304 or 404 for a file has no telling content type).</summary>
    public static bool IsAssetPath(string path)
    {
        var slash = path.LastIndexOf('/');
        var dot = path.LastIndexOf('.');
        return dot > slash && s_assetExtensions.Contains(path[dot..]);
    }

    private static bool IsStaticAssetEndpoint(Endpoint endpoint)
    {
        // MapStaticAssets' endpoints carry the framework's StaticAssetDescriptor-based metadata; recognised by
        // name so the toolbar needs no compile-time tie to that API's assembly version.
        foreach (var item in endpoint.Metadata)
        {
            var name = item.GetType().Name;
            if (name.StartsWith("StaticAsset", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPageOrData(string contentType) =>
        contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("application/problem+", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("xml", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase);

    private static bool IsAssetContentType(string contentType) =>
        contentType.StartsWith("text/css", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("javascript", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("font/", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("application/font", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("application/x-font", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("application/wasm", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("application/manifest+json", StringComparison.OrdinalIgnoreCase);
}
