namespace MyPanel;

/// <summary>Raw facts collected while the request runs (per request, created on first use).</summary>
internal sealed class MyPanelState
{
    public long StartedAt { get; set; }
}
