using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
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
        var http = context.HttpContext;
        var request = http.Request;
        var data = new RequestData
        {
            Method = request.Method,
            Scheme = request.Scheme,
            Host = request.Host.Value ?? "",
            Path = request.PathBase + request.Path,
            QueryString = MaskQueryString(request),
            ContentType = request.ContentType,
            ContentLength = request.ContentLength,
            Protocol = request.Protocol,
            RemoteIp = http.Connection.RemoteIpAddress?.ToString(),
            Headers = Mask(request.Headers),
            Query = Mask(request.Query),
            // The record has the final status (500 when the app threw before setting one).
            StatusCode = context.Record.StatusCode,
            ResponseHeaders = Mask(http.Response.Headers),
            Endpoint = http.GetEndpoint()?.DisplayName,
            User = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name ?? "(authenticated)" : null,
        };

        foreach (var (name, value) in request.Cookies)
        {
            // Authentication, session and antiforgery cookies of ASP.NET Core are credentials whatever their name says.
            data.Cookies[name] = name.StartsWith(".AspNetCore.", StringComparison.OrdinalIgnoreCase) ? SecretMasker.Mask : masker.Apply(name, value) ?? "";
        }

        data.Session = ReadSession(http.Features.Get<ISessionFeature>()?.Session ?? context.Record.FindState<RequestState>(this)?.Session);

        // Only a form the app already read: reading it here would consume a body the app left alone.
        if (http.Features.Get<IFormFeature>()?.Form is { } form)
        {
            data.Form = Mask(form);
        }

        foreach (var (name, value) in request.RouteValues)
        {
            data.RouteValues[name] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (http.User.Identity?.IsAuthenticated == true)
        {
            foreach (var claim in http.User.Claims)
            {
                data.Claims.Add(new(claim.Type, masker.Apply(claim.Type, claim.Value) ?? ""));
            }
        }

        context.SetData(data);
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

    private string MaskQueryString(HttpRequest request)
    {
        var raw = request.QueryString.Value ?? "";
        if (raw.Length == 0 || !request.Query.Keys.Any(masker.IsSecret))
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
