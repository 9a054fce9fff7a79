using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Primitives;

namespace Toolbar.Panels.Request;

/// <summary>The request panel: method, URL, headers, cookies, query, form, route values, user, response.</summary>
public sealed class RequestPanel(SecretMasker masker) : ToolbarPanel<RequestData>
{
    /// <inheritdoc />
    public override string Id => "request";

    /// <inheritdoc />
    public override string Title => "Request";

    /// <inheritdoc />
    public override Type? ViewType => typeof(RequestPanelView);

    /// <inheritdoc />
    public override void OnResponseStarting(PanelContext context, ServerTimingBuilder serverTiming)
    {
        if (context.HttpContext.Features.Get<ISessionFeature>()?.Session is { } session)
        {
            context.GetState<RequestState>().Session = session;
        }
    }

    /// <inheritdoc />
    public override void OnRequestFinished(PanelContext context)
    {
        // Copy what the server will reuse (headers, collections) as it is; masking and the dictionaries are built
        // only when somebody opens the record.
        var http = context.HttpContext;
        var request = http.Request;
        var raw = new RawRequest
        {
            Method = request.Method,
            Scheme = request.Scheme,
            Host = request.Host.Value ?? "",
            // The path as the client sent it; a rewrite, a fallback to a file or a re-execution is shown beside it.
            Path = context.Record.Path,
            PathAtEnd = request.PathBase + request.Path,
            QueryString = request.QueryString.Value ?? "",
            ContentType = request.ContentType,
            ContentLength = request.ContentLength,
            Protocol = request.Protocol,
            RemoteIp = http.Connection.RemoteIpAddress,
            Headers = Copy(request.Headers),
            // Parsing the query and cookies is the app's business: only copy them when there is something to parse.
            Query = request.QueryString.HasValue ? [.. request.Query] : [],
            Cookies = request.Headers.Cookie.Count > 0 ? [.. request.Cookies] : [],
            // The record has the final status (500 when the app threw before setting one).
            StatusCode = context.Record.StatusCode,
            ResponseHeaders = Copy(http.Response.Headers),
            Endpoint = http.GetEndpoint()?.DisplayName,
            RouteValues = request.RouteValues.Count > 0 ? [.. request.RouteValues] : [],
            Session = ReadSession(http.Features.Get<ISessionFeature>()?.Session ?? context.Record.FindState<RequestState>()?.Session),
        };

        // Only a form the app already read: reading it here would consume a body the app left alone.
        if (http.Features.Get<IFormFeature>()?.Form is { } form)
        {
            raw.Form = [.. form];
        }

        // Through the feature: HttpContext.User would create an empty principal for an app without authentication.
        if (http.Features.Get<IHttpAuthenticationFeature>()?.User is { Identity.IsAuthenticated: true } user)
        {
            raw.User = user.Identity.Name ?? "(authenticated)";
            raw.Claims = [.. user.Claims.Select(c => new KeyValuePair<string, string>(c.Type, c.Value))];
        }

        context.SetLazyData(() => Build(raw));
    }

    // CopyTo: the server's header collections copy themselves without an enumerator or a growing list.
    private static KeyValuePair<string, StringValues>[] Copy(IHeaderDictionary headers)
    {
        if (headers.Count == 0)
        {
            return [];
        }

        var copy = new KeyValuePair<string, StringValues>[headers.Count];
        headers.CopyTo(copy, 0);
        return copy;
    }

    private RequestData Build(RawRequest raw)
    {
        var data = new RequestData
        {
            Method = raw.Method,
            Scheme = raw.Scheme,
            Host = raw.Host,
            Path = raw.Path,
            RewrittenPath = raw.PathAtEnd != raw.Path ? raw.PathAtEnd : null,
            QueryString = MaskQueryString(raw.QueryString, raw.Query),
            ContentType = raw.ContentType,
            ContentLength = raw.ContentLength,
            Protocol = raw.Protocol,
            RemoteIp = raw.RemoteIp?.ToString(),
            Headers = Mask(raw.Headers),
            Query = Mask(raw.Query),
            StatusCode = raw.StatusCode,
            ResponseHeaders = Mask(raw.ResponseHeaders),
            Endpoint = raw.Endpoint,
            User = raw.User,
            Session = raw.Session,
        };

        foreach (var (name, value) in raw.Cookies)
        {
            // Authentication, session and antiforgery cookies of ASP.NET Core are credentials whatever their name says.
            data.Cookies[name] = name.StartsWith(".AspNetCore.", StringComparison.OrdinalIgnoreCase) ? SecretMasker.Mask : masker.Apply(name, value) ?? "";
        }

        if (raw.Form is { } form)
        {
            data.Form = Mask(form);
        }

        foreach (var (name, value) in raw.RouteValues)
        {
            data.RouteValues[name] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (type, value) in raw.Claims)
        {
            data.Claims.Add(new(type, masker.Apply(type, value) ?? ""));
        }

        return data;
    }

    /// <inheritdoc />
    protected override string? GetNavSubtitle(RequestData data) => $"{data.Method} {data.StatusCode}";

    /// <inheritdoc />
    protected override PanelStatus GetStatus(RequestData data) => data.StatusCode >= 500 ? PanelStatus.Error : PanelStatus.Normal;

    // Shown only when the app uses sessions. The session is caught when the response starts (the session
    // middleware drops its feature on the way out) and read now, so values set later are shown too.
    private Dictionary<string, string>? ReadSession(ISession? session)
    {
        if (session is null)
        {
            return null;
        }

        try
        {
            if (!session.IsAvailable)
            {
                return null;
            }

            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in session.Keys)
            {
                if (session.TryGetValue(key, out var bytes))
                {
                    result[key] = masker.IsSecret(key) ? SecretMasker.Mask : Describe(bytes);
                }
            }

            return result;
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static string Describe(byte[] bytes)
    {
        try
        {
            var text = new System.Text.UTF8Encoding(false, true).GetString(bytes);
            return text.Any(c => char.IsControl(c) && c is not '\r' and not '\n' and not '\t') ? $"({bytes.Length} bytes)" : text;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return $"({bytes.Length} bytes)";
        }
    }

    private string MaskQueryString(string raw, KeyValuePair<string, StringValues>[] query)
    {
        if (raw.Length == 0 || !query.Any(q => masker.IsSecret(q.Key)))
        {
            return raw;
        }

        var parts = raw[1..].Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString((eq < 0 ? parts[i] : parts[i][..eq]).Replace('+', ' '));
            if (eq >= 0 && masker.IsSecret(name))
            {
                parts[i] = parts[i][..(eq + 1)] + SecretMasker.Mask;
            }
        }

        return "?" + string.Join('&', parts);
    }

    /// <summary>The request as it was when it finished, copied out of objects the server reuses.</summary>
    private sealed class RawRequest
    {
        public required string Method { get; init; }

        public required string Scheme { get; init; }

        public required string Host { get; init; }

        public required string Path { get; init; }

        public required string PathAtEnd { get; init; }

        public required string QueryString { get; init; }

        public string? ContentType { get; init; }

        public long? ContentLength { get; init; }

        public required string Protocol { get; init; }

        public System.Net.IPAddress? RemoteIp { get; init; }

        public required KeyValuePair<string, StringValues>[] Headers { get; init; }

        public required KeyValuePair<string, StringValues>[] Query { get; init; }

        public required KeyValuePair<string, string>[] Cookies { get; init; }

        public KeyValuePair<string, StringValues>[]? Form { get; set; }

        public required int StatusCode { get; init; }

        public required KeyValuePair<string, StringValues>[] ResponseHeaders { get; init; }

        public string? Endpoint { get; init; }

        public required KeyValuePair<string, object?>[] RouteValues { get; init; }

        public Dictionary<string, string>? Session { get; init; }

        public string? User { get; set; }

        public KeyValuePair<string, string>[] Claims { get; set; } = [];
    }

    private Dictionary<string, string> Mask(IEnumerable<KeyValuePair<string, StringValues>> values)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
        {
            result[name] = masker.Apply(name, value.ToString()) ?? "";
        }

        return result;
    }
}
