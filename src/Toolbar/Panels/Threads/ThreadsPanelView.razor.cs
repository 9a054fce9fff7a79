using System.Globalization;

namespace Toolbar.Panels.Threads;

/// <summary>Renders <see cref="ThreadsData"/>: thread-pool figures, the starvation warning and each blocking wait with its frames.</summary>
public partial class ThreadsPanelView
{
    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";
}
