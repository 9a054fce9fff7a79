using System.Reflection;

namespace Toolbar.Panels.Cpu;

/// <summary>
/// The toolbar's shared app-code rule (<see cref="AppCode"/>) applied to a profiler frame, which names its module
/// (assembly) by simple name: the loaded assembly of that name decides. Code of no loaded assembly (the runtime's
/// native code) is never the app's. Answers are cached per module.
/// </summary>
internal sealed class ModuleAppCode(AppCode rule)
{
    private readonly Dictionary<string, bool> _known = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public bool IsApp(CpuFrame frame)
    {
        lock (_lock)
        {
            if (!_known.TryGetValue(frame.Module, out var app))
            {
                var assembly = AppDomain.CurrentDomain.GetAssemblies()
                    .FirstOrDefault(a => string.Equals(a.GetName().Name, frame.Module, StringComparison.OrdinalIgnoreCase));
                app = assembly is not null && !assembly.IsDynamic && rule.IsAppAssembly(assembly);
                _known[frame.Module] = app;
            }

            return app;
        }
    }
}
