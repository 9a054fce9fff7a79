using System.Text.Json;

namespace Toolbar.Stores;

/// <summary>
/// The stored JSON shape of a record (the same shape as <c>GET /api/requests/{id}</c>). Panel data stays raw
/// here: each panel's own <see cref="ToolbarPanel.DataType"/> reads it afterwards.
/// </summary>
internal sealed class StoredRecord
{
    public string Id { get; set; } = "";

    public string Method { get; set; } = "";

    public string Path { get; set; } = "";

    public string QueryString { get; set; } = "";

    public int StatusCode { get; set; }

    public double DurationMs { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public string? ContentType { get; set; }

    public bool IsAjax { get; set; }

    /// <summary>Whether the record was imported from an exported file.</summary>
    public bool Imported { get; set; }

    public int? GrpcStatus { get; set; }

    public string? GrpcMessage { get; set; }

    public Dictionary<string, JsonElement> Panels { get; set; } = [];

    public Dictionary<string, string> PanelErrors { get; set; } = [];

    /// <summary>Hashes of the shared snapshots the panel data refers to (written by stores only).</summary>
    public List<string>? Snapshots { get; set; }
}
