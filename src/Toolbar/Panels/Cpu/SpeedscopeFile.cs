using System.Text.Json.Serialization;

namespace Toolbar.Panels.Cpu;

/// <summary>The file (speedscope's <c>FileFormat.File</c>).</summary>
internal sealed record SpeedscopeFile(
    [property: JsonPropertyName("$schema")] string Schema,
    SpeedscopeShared Shared,
    IReadOnlyList<SpeedscopeProfile> Profiles,
    string Name,
    int ActiveProfileIndex,
    string Exporter);
