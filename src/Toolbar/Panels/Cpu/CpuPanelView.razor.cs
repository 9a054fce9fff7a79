using System.Globalization;
using System.Text.Json;

namespace Toolbar.Panels.Cpu;

/// <summary>Renders <see cref="CpuData"/>: figures, a flame graph (drawn by the panel's script), the top functions, the arm button.</summary>
public partial class CpuPanelView
{
    /// <summary>Most functions listed in the rendered table; the JSON API and the export have them all.</summary>
    internal const int MaxRenderedFunctions = 200;

    /// <summary>The URL the arm button profiles next: this request's, without the toolbar's own query parameter.</summary>
    private string ArmUrl => Context.Record.Path + ProfileRequest.Without(Context.Record.QueryString, out _);

    private string SpeedscopeUrl => $"{Context.PathPrefix}/requests/{Context.RecordId}/cpu.speedscope.json";

    /// <summary>Functions and tree as JSON for the flame graph script, in an attribute (Razor encodes it).</summary>
    private string ProfileJson => JsonSerializer.Serialize(new { functions = Data.Functions, tree = Data.Tree, intervalMs = Data.IntervalMs, sampleCount = Data.SampleCount }, CpuEndpoints.Json);

    private static string Percent(int part, int whole) =>
        whole == 0 ? "0 %" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Ms(double ms) => ms.ToString("0.#", CultureInfo.InvariantCulture) + " ms";
}
