namespace Toolbar.Internal;

/// <summary>What toolbar.js needs to draw the handle and the nav list of one record.</summary>
internal sealed record NavModel(
    string Id, string Method, string Path, string QueryString, int StatusCode, double DurationMs, DateTimeOffset StartedAt,
    bool IsAjax, IReadOnlyList<NavPanel> Panels)
{
    /// <summary>The gRPC status of a gRPC call (non-zero: failed), or <c>null</c>.</summary>
    public int? GrpcStatus { get; init; }

    /// <summary>The gRPC status message, when the call sent one.</summary>
    public string? GrpcMessage { get; init; }

    public static NavModel Create(RequestRecord record, ToolbarRuntime runtime, string prefix)
    {
        var panels = new List<NavPanel>(runtime.Panels.Count);
        foreach (var panel in runtime.Panels)
        {
            var data = record.GetPanelData(panel.Id);

            var error = record.GetPanelError(panel.Id);

            string? subtitle = null;
            var status = error is null ? PanelStatus.Normal : PanelStatus.Error;
            if (data is not null)
            {
                try
                {
                    subtitle = panel.GetNavSubtitle(data);
                    status = error is null ? panel.GetStatus(data) : status;
                }
                catch (Exception ex)
                {
                    status = PanelStatus.Error;
                    subtitle = "error: " + ex.GetType().Name;
                }
            }

            var assetBase = $"{prefix}/panels/{panel.Id}/assets/";
            try
            {
                var assets = panel.Assets;
                panels.Add(new NavPanel(
                    panel.Id,
                    panel.NavTitle,
                    panel.Title,
                    subtitle,
                    status,
                    data is not null,
                    assets.Where(a => a.Name.EndsWith(".css", StringComparison.OrdinalIgnoreCase)).Select(a => assetBase + a.Name).ToArray(),
                    assets.Where(a => a.Name.EndsWith(".js", StringComparison.OrdinalIgnoreCase)).Select(a => assetBase + a.Name).ToArray()));
            }
            catch (Exception ex)
            {
                // A panel whose title or asset list throws still gets an entry, so its error can be seen.
                panels.Add(new NavPanel(panel.Id, panel.Id, panel.Id, "error: " + ex.GetType().Name, PanelStatus.Error, data is not null, [], []));
            }
        }

        return new NavModel(record.Id, record.Method, record.Path, record.QueryString, record.StatusCode,
            Math.Round(record.DurationMs, 1), record.StartedAt, record.IsAjax, panels)
        {
            GrpcStatus = record.GrpcStatus,
            GrpcMessage = record.GrpcMessage,
        };
    }
}

/// <summary>One nav entry.</summary>
internal sealed record NavPanel(string Id, string NavTitle, string Title, string? Subtitle, PanelStatus Status, bool HasData, string[] Styles, string[] Scripts);
