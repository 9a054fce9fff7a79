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
            QueryString = request.QueryString.Value ?? "",
            Protocol = request.Protocol,
            RemoteIp = http.Connection.RemoteIpAddress?.ToString(),
            Headers = Mask(request.Headers),
            Query = Mask(request.Query),
            StatusCode = http.Response.StatusCode,
            ResponseHeaders = Mask(http.Response.Headers),
            Endpoint = http.GetEndpoint()?.DisplayName,
            User = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name ?? "(authenticated)" : null,
        };

        foreach (var (name, value) in request.Cookies)
        {
            data.Cookies[name] = masker.Apply(name, value) ?? "";
        }

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
