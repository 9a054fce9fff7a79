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
            Query = request.QueryString.HasValue ? Cut([.. request.Query]) : [],
            Cookies = request.Headers.Cookie.Count > 0 ? [.. request.Cookies.Select(c => new KeyValuePair<string, string>(c.Key, masker.Truncate(c.Value)))] : [],
            // The record has the final status (500 when the app threw before setting one).
            StatusCode = context.Record.StatusCode,
            ResponseHeaders = Copy(http.Response.Headers),
            Endpoint = http.GetEndpoint()?.DisplayName,
            RouteValues = request.RouteValues.Count > 0 ? [.. request.RouteValues] : [],
            Session = ReadSession(http.Features.Get<ISessionFeature>()?.Session ?? context.Record.FindState<RequestState>()?.Session),
        };

        // Only a form the app already read: reading it here would consume a body the app left alone. Values are cut
        // now, so the record never holds on to a multi-megabyte field until somebody opens it.
        if (http.Features.Get<IFormFeature>()?.Form is { } form)
        {
            raw.Form = Cut([.. form]);
        }

        // Through the feature: HttpContext.User would create an empty principal for an app without authentication.
        if (http.Features.Get<IHttpAuthenticationFeature>()?.User is { Identity.IsAuthenticated: true } user)
        {
            raw.User = user.Identity.Name ?? "(authenticated)";
            raw.Claims = [.. user.Claims.Select(c => new KeyValuePair<string, string>(c.Type, c.Value))];
        }

        context.Record.AddEstimatedBytes(SizeOf(raw));
        context.SetLazyData((this, raw), static s => s.Item1.Build(s.raw));
    }

    private KeyValuePair<string, StringValues>[] Cut(KeyValuePair<string, StringValues>[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var (name, value) = values[i];
            var tooLong = false;
            foreach (var item in value)
            {
                tooLong |= item is not null && item.Length > masker.MaxValueLength;
            }

            if (tooLong)
            {
                values[i] = new(name, new StringValues(value.Select(v => masker.Truncate(v)).ToArray()));
            }
        }

        return values;
    }

    // Every string the record keeps, at two bytes a character, plus a rough cost per entry.
    private static long SizeOf(RawRequest raw)
    {
        long bytes = 256 + (2L * (raw.Host.Length + raw.Path.Length + raw.QueryString.Length + (raw.Endpoint?.Length ?? 0) + (raw.User?.Length ?? 0)));
        bytes += SizeOf(raw.Headers) + SizeOf(raw.Query) + SizeOf(raw.ResponseHeaders) + (raw.Form is null ? 0 : SizeOf(raw.Form));
        foreach (var (name, value) in raw.Cookies)
        {
            bytes += 48 + (2L * (name.Length + value.Length));
        }

        foreach (var (type, value) in raw.Claims)
        {
            bytes += 48 + (2L * (type.Length + value.Length));
        }

        foreach (var (key, value) in raw.Session ?? [])
        {
            bytes += 48 + (2L * (key.Length + value.Length));
        }

        return bytes + (64L * raw.RouteValues.Length);
    }

    private static long SizeOf(KeyValuePair<string, StringValues>[] values)
    {
        long bytes = 0;
        foreach (var (name, value) in values)
        {
            bytes += 48 + (2L * name.Length);
            foreach (var item in value)
            {
                bytes += 2L * (item?.Length ?? 0);
            }
        }

        return bytes;
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
            QueryString = masker.MaskQueryString(raw.QueryString),
            ContentType = raw.ContentType,
            ContentLength = raw.ContentLength,
            Protocol = raw.Protocol,
            RemoteIp = raw.RemoteIp?.ToString(),
            Headers = Mask(raw.Headers),
            Query = Mask(raw.Query, cut: true),
            StatusCode = raw.StatusCode,
            ResponseHeaders = Mask(raw.ResponseHeaders),
            Endpoint = raw.Endpoint,
            User = raw.User,
            Session = raw.Session,
        };

        foreach (var (name, value) in raw.Cookies)
        {
            // Cut when captured: cutting again would cut the marker and report the cut length as the true one.
            data.Cookies[name] = masker.Apply(name, value) ?? "";
        }

        if (raw.Form is { } form)
        {
            data.Form = Mask(form, cut: true);
        }

        foreach (var (name, value) in raw.RouteValues)
        {
            data.RouteValues[name] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (type, value) in raw.Claims)
        {
            data.Claims.Add(new(type, masker.Capture(type, value) ?? ""));
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

    /// <summary>Masks named values; <paramref name="cut"/> when they were already cut at capture (cutting twice would report the cut length as the true one).</summary>
    private Dictionary<string, string> Mask(IEnumerable<KeyValuePair<string, StringValues>> values, bool cut = false)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
        {
            result[name] = (cut ? masker.Apply(name, value.ToString()) : masker.Capture(name, value.ToString())) ?? "";
        }

        return result;
    }
}
