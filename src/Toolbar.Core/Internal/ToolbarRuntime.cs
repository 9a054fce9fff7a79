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
internal sealed class ToolbarRuntime : IDisposable
{
    // Panels the runtime created itself (not resolved from the container): the container does not dispose them, so the
    // runtime does when the app stops (a panel may hold sessions, timers or subscriptions).
    private readonly List<IDisposable> _owned = [];

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
                var registered = services.GetService(type);
                panel = (ToolbarPanel)(registered ?? ActivatorUtilities.CreateInstance(services, type));
                if (registered is null && panel is IDisposable owned)
                {
                    _owned.Add(owned);
                }

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

    /// <summary>Disposes the panels the runtime created; a panel's failure to dispose is not the app's.</summary>
    public void Dispose()
    {
        foreach (var panel in _owned)
        {
            try
            {
                panel.Dispose();
            }
            catch (Exception)
            {
                // Shutting down: nothing to report to, and the other panels must still be disposed.
            }
        }

        _owned.Clear();
    }

    public FrozenDictionary<string, ToolbarPanel> ById { get; }

    public string Prefix { get; }
}
