using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Toolbar.Internal;

/// <summary>
/// The outcome of a gRPC call. gRPC answers HTTP 200 for failed calls as well and puts the real outcome in the
/// <c>grpc-status</c>/<c>grpc-message</c> trailers (or headers, for a trailers-only response), so the record's
/// status code alone would call every failed call a success.
/// </summary>
internal static class GrpcOutcome
{
    /// <summary>Sets <see cref="RequestRecord.GrpcStatus"/> and <see cref="RequestRecord.GrpcMessage"/> of a finished gRPC call.</summary>
    public static void Read(HttpContext context, RequestRecord record)
    {
        // application/grpc, application/grpc+proto, application/grpc-web, application/grpc-web-text…
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            return;
        }

        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        var headers = context.Response.Headers;
        var status = First(trailers, headers, "grpc-status");
        if (!int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return;
        }

        record.GrpcStatus = code;
        var message = First(trailers, headers, "grpc-message");
        record.GrpcMessage = string.IsNullOrEmpty(message) ? null : Decode(message);
    }

    private static string? First(IHeaderDictionary? trailers, IHeaderDictionary headers, string name)
    {
        if (trailers is not null && trailers.TryGetValue(name, out var fromTrailers) && fromTrailers.Count > 0)
        {
            return fromTrailers[0];
        }

        return headers.TryGetValue(name, out var fromHeaders) && fromHeaders.Count > 0 ? fromHeaders[0] : null;
    }

    /// <summary>grpc-message is percent-encoded UTF-8; a malformed one is shown as sent.</summary>
    private static string Decode(string message)
    {
        try
        {
            return Uri.UnescapeDataString(message);
        }
        catch (UriFormatException)
        {
            return message;
        }
    }
}
