using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Toolbar.Internal;

/// <summary>Serves embedded assets with an ETag so browsers revalidate cheaply (304) and never run a stale toolbar.</summary>
internal static class ToolbarAssets
{
    private static readonly ConcurrentDictionary<(Assembly, string), Asset?> s_cache = new();

    public static PanelAsset? Core(string name) => name switch
    {
        "toolbar.js" or "toolbar.css" or "favicon.svg" or "import.js" => new PanelAsset(name, typeof(ToolbarAssets).Assembly, "Toolbar.Assets." + name),
        _ => null,
    };

    public static IResult Serve(HttpContext context, PanelAsset? asset)
    {
        var loaded = asset is null ? null : s_cache.GetOrAdd((asset.Assembly, asset.ResourceName), static key => Load(key.Item1, key.Item2));
        if (loaded is null)
        {
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = loaded.ETag;
        headers.XContentTypeOptions = "nosniff";
        var ifNoneMatch = context.Request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0 && ifNoneMatch.ToString().Contains(loaded.ETag, StringComparison.Ordinal))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(loaded.Bytes, asset!.ContentType);
    }

    private static Asset? Load(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName);
        if (stream is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + "\"";
        return new Asset(bytes, new EntityTagHeaderValue(etag).Tag.ToString());
    }

    private sealed record Asset(byte[] Bytes, string ETag);
}
