namespace MyPanel;

/// <summary>What the panel stores per request. Serialized as camelCase JSON under <c>panels.tbpanelid</c>.</summary>
public sealed class MyPanelData
{
    /// <summary>Request path.</summary>
    public string Path { get; set; } = "";

    /// <summary>Display name of the endpoint that handled the request, if any.</summary>
    public string? Endpoint { get; set; }

    /// <summary>How many request headers came in.</summary>
    public int HeaderCount { get; set; }

    /// <summary>Milliseconds from the start of the request until the app finished.</summary>
    public double ElapsedMs { get; set; }
}
