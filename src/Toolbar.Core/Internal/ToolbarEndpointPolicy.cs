using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Toolbar.Internal;

/// <summary>
/// The rules every toolbar endpoint follows, in one place: who may call it, the intent header of state-changing
/// calls, private answers, a bounded body, and errors as ProblemDetails (4xx for bad input, never an exception
/// into the app). Both entry points use it: the endpoint filter of the toolbar's route group, and the middleware
/// that runs toolbar endpoints wherever routing put them (a plain <see cref="RequestDelegate"/> gets no filters).
/// </summary>
internal static class ToolbarEndpointPolicy
{
    public const string RequestHeader = "X-Toolbar-Request";

    /// <summary>Largest request body a toolbar endpoint reads, unless it declares its own limit.</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>Whether a state-changing call lacks the intent header (which a cross-site page cannot send without a preflight).</summary>
    public static bool LacksIntent(HttpContext http, Endpoint? endpoint) =>
        !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
        && http.Request.Headers[RequestHeader] != "1"
        && endpoint?.Metadata.GetMetadata<McpEndpointMetadata>() is null;

    public static IResult MissingIntent() =>
        Problem(StatusCodes.Status400BadRequest, "Missing intent header", $"State-changing toolbar requests need the header '{RequestHeader}: 1'.");

    /// <summary>Marks the answer private and bounds the body before anything reads it.</summary>
    /// <returns>A 413 answer when the declared length is already over the limit; otherwise <c>null</c>.</returns>
    public static IResult? Prepare(HttpContext http, Endpoint? endpoint)
    {
        var headers = http.Response.Headers;
        if (headers.CacheControl.Count == 0)
        {
            headers.CacheControl = "no-store";
        }

        headers.XContentTypeOptions = "nosniff";
        if (headers.ContentSecurityPolicy.Count == 0)
        {
            // The toolbar's pages and panel HTML load only its own same-origin assets: nothing inline or foreign may run
            // there (a record can be an imported file), and no other site may frame them.
            headers.ContentSecurityPolicy = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        }

        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || http.Request.Body is LimitedRequestBody)
        {
            return null;
        }

        var limit = endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? DefaultMaxBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        // Counted as it is read, whatever the server enforces (a test server enforces nothing; chunked bodies have no length).
        http.Request.Body = new LimitedRequestBody(http.Request.Body, limit);
        return null;
    }

    /// <summary>The answer for a failure inside a toolbar endpoint.</summary>
    public static IResult Failure(HttpContext http, Exception exception, string? panelId, ILogger logger)
    {
        switch (exception)
        {
            case BadHttpRequestException bad:
                // Bad input (malformed or non-UTF-8 JSON, a wrong content type, a body over the limit): the caller's fault.
                return Problem(bad.StatusCode, bad.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "Request body too large",
                    StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
                    _ => "Bad request",
                }, bad.Message, panelId);
            case ToolbarStoreUnavailableException unavailable:
                return StoreUnavailable(http, unavailable);
        }

        if (panelId is not null)
        {
            Log.PanelFailed(logger, panelId, "endpoint " + http.Request.Path, exception);
        }
        else
        {
            Log.EndpointFailed(logger, http.Request.Path, exception);
        }

        var title = panelId is null ? "The toolbar endpoint failed" : $"Panel '{panelId}' failed";
        return Problem(StatusCodes.Status500InternalServerError, title, $"{title}: {exception.GetType().Name}: {exception.Message}", panelId);
    }

    /// <summary>A ProblemDetails answer that also carries <c>error</c> (the detail) for the toolbar's scripts and older clients.</summary>
    public static IResult Problem(int status, string title, string? detail = null, string? panelId = null)
    {
        var extensions = new Dictionary<string, object?> { ["error"] = detail ?? title };
        if (panelId is not null)
        {
            extensions["panel"] = panelId;
        }

        return Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }

    /// <summary>Every GET endpoint of the toolbar answers HEAD too.</summary>
    public static void AddHeadToGets(EndpointBuilder builder)
    {
        if (builder.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault() is { } methods
            && methods.HttpMethods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase)
            && !methods.HttpMethods.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
        {
            builder.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight));
        }
    }

    private static IResult TooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"Toolbar endpoints read at most {limit} bytes.");

    private static IResult StoreUnavailable(HttpContext http, ToolbarStoreUnavailableException ex)
    {
        // The app is fine; only the toolbar's history is out of reach. Say so where the toolbar shows it.
        var path = http.Request.Path.Value;
        var wantsHtml = path?.Contains("/panels/", StringComparison.Ordinal) == true && path.Contains("/requests/", StringComparison.Ordinal);
        return wantsHtml
            ? Results.Content("<div class=\"tb-error\" role=\"alert\" data-tb-store-unavailable>" + HtmlEncoder.Default.Encode(ex.Message) + "</div>",
                "text/html; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Problem(detail: ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Toolbar store unavailable",
                extensions: new Dictionary<string, object?> { ["error"] = ex.Message, ["storeUnavailable"] = true });
    }
}

/// <summary>A toolbar endpoint's own body limit, where the default is too small (an imported record).</summary>
/// <param name="bytes">The most bytes the endpoint reads.</param>
internal sealed class ToolbarBodyLimit(long bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => bytes;
}
