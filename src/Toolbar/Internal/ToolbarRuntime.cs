using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Toolbar.Internal;

/// <summary>The panel instances in toolbar order, created once from the registered types.</summary>
internal sealed class ToolbarRuntime
{
    public ToolbarRuntime(IServiceProvider services, IOptions<ToolbarOptions> options)
    {
        Options = options.Value;
        var panels = new List<ToolbarPanel>();
        foreach (var type in Options.Panels)
        {
            var panel = (ToolbarPanel)ActivatorUtilities.GetServiceOrCreateInstance(services, type);
            if (Options.DisabledPanels.Contains(panel.Id))
            {
                continue;
            }

            if (panels.Any(p => string.Equals(p.Id, panel.Id, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"Two toolbar panels use the id '{panel.Id}'.");
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
