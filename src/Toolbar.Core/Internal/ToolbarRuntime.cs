using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Toolbar.Internal;

/// <summary>
/// The panel instances in toolbar order, created once from the registered types. A panel that cannot
/// be created (its constructor or its <see cref="ToolbarPanel.Id"/> throws) is left out with a logged
/// error: a broken plugin must not keep the app from starting.
/// </summary>
internal sealed class ToolbarRuntime
{
    public ToolbarRuntime(IServiceProvider services, IOptions<ToolbarOptions> options)
    {
        Options = options.Value;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger<ToolbarRuntime>() ?? NullLogger<ToolbarRuntime>.Instance;
        var panels = new List<ToolbarPanel>();
        foreach (var type in Options.Panels)
        {
            ToolbarPanel panel;
            string id;
            try
            {
                panel = (ToolbarPanel)ActivatorUtilities.GetServiceOrCreateInstance(services, type);
                id = panel.Id;
            }
            catch (Exception ex)
            {
                Log.PanelCreateFailed(logger, type.FullName ?? type.Name, ex);
                continue;
            }

            if (Options.DisabledPanels.Contains(id))
            {
                continue;
            }

            // A duplicate id is a registration mistake, not a runtime failure: fail loudly at startup.
            if (panels.Any(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"Two toolbar panels use the id '{id}'.");
            }

            panel.Index = panels.Count;
            panels.Add(panel);
        }

        Panels = panels;
        ById = panels.ToFrozenDictionary(p => p.Id, StringComparer.OrdinalIgnoreCase);
        Prefix = Options.NormalizedPrefix;
    }

    public ToolbarOptions Options { get; }

    public IReadOnlyList<ToolbarPanel> Panels { get; }

    public FrozenDictionary<string, ToolbarPanel> ById { get; }

    public string Prefix { get; }
}
