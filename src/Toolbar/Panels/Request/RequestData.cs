namespace Toolbar.Panels.Request;

/// <summary>Data of the request panel: what came in, what went out. Secret values are already masked.</summary>
public sealed class RequestData
{
    /// <summary>HTTP method.</summary>
    public string Method { get; set; } = "";

    /// <summary>Scheme (http/https).</summary>
    public string Scheme { get; set; } = "";

    /// <summary>Host header value.</summary>
    public string Host { get; set; } = "";

    /// <summary>Path base plus path, as the client sent it.</summary>
    public string Path { get; set; } = "";

    /// <summary>The path when the request finished, when a rewrite or a fallback to a file changed it; otherwise <c>null</c>.</summary>
    public string? RewrittenPath { get; set; }

    /// <summary>Query string including <c>?</c>, or empty (values of secret-looking parameters masked).</summary>
    public string QueryString { get; set; } = "";

    /// <summary>Protocol, e.g. HTTP/1.1.</summary>
    public string Protocol { get; set; } = "";

    /// <summary>Client address as the server saw it.</summary>
    public string? RemoteIp { get; set; }

    /// <summary>Request headers (secrets masked).</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>Request cookies (secret-looking names and ASP.NET Core's own cookies, which carry credentials, masked).</summary>
    public Dictionary<string, string> Cookies { get; set; } = [];

    /// <summary>Query parameters (secrets masked).</summary>
    public Dictionary<string, string> Query { get; set; } = [];

    /// <summary>Form fields of a form post (secrets masked).</summary>
    public Dictionary<string, string> Form { get; set; } = [];

    /// <summary>Session values when the app uses sessions and the session was loaded (secrets masked; binary values summarized).</summary>
    public Dictionary<string, string>? Session { get; set; }

    /// <summary>Request content type, when the request has a body.</summary>
    public string? ContentType { get; set; }

    /// <summary>Declared request body length, when known.</summary>
    public long? ContentLength { get; set; }

    /// <summary>Route values of the matched endpoint.</summary>
    public Dictionary<string, string?> RouteValues { get; set; } = [];

    /// <summary>Display name of the endpoint that handled the request.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Authenticated user name, or <c>null</c> when anonymous.</summary>
    public string? User { get; set; }

    /// <summary>Claims of the authenticated user (secrets masked).</summary>
    public List<KeyValuePair<string, string>> Claims { get; set; } = [];

    /// <summary>Response status code.</summary>
    public int StatusCode { get; set; }

    /// <summary>Response headers (secrets masked).</summary>
    public Dictionary<string, string> ResponseHeaders { get; set; } = [];
}
