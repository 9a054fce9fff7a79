using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;

namespace Toolbar.Internal;

/// <summary>Renders a panel's Razor view to an HTML fragment on demand (no MVC needed in the host).</summary>
internal sealed class PanelRenderer(ILoggerFactory loggerFactory, ILogger<PanelRenderer> logger)
{
    // services: the request's scoped provider, because components may resolve scoped services.
    public async Task<string> RenderAsync(IServiceProvider services, ToolbarPanel panel, RequestRecord record, string prefix)
    {
        // Data first: building deferred data may record the panel's error.
        var data = record.GetPanelData(panel.Id);
        var error = record.GetPanelError(panel.Id);

        var errorHtml = error is null ? "" : ErrorBox($"This panel failed while collecting: {error}");
        if (data is null)
        {
            return errorHtml + (error is null ? "<p class=\"tb-empty\">This panel has no data for this request.</p>" : "");
        }

        try
        {
            if (panel.ViewType is null)
            {
                var json = JsonSerializer.Serialize(data, panel.DataType, new JsonSerializerOptions(ToolbarJson.Options) { WriteIndented = true });
                return errorHtml + "<pre class=\"tb-json\">" + HtmlEncoder.Default.Encode(json) + "</pre>";
            }

            await using var renderer = new HtmlRenderer(services, loggerFactory);
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                ["Data"] = data,
                ["Context"] = new PanelViewContext(record.Id, panel.Id, prefix, record),
            });
            var html = await renderer.Dispatcher.InvokeAsync(async () =>
                (await renderer.RenderComponentAsync(panel.ViewType, parameters)).ToHtmlString());
            return errorHtml + html;
        }
        catch (Exception ex)
        {
            Log.PanelFailed(logger, panel.Id, "render", ex);
            return errorHtml + ErrorBox($"This panel failed to render: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static string ErrorBox(string message) =>
        "<div class=\"tb-error\" role=\"alert\">" + HtmlEncoder.Default.Encode(message) + "</div>";
}
