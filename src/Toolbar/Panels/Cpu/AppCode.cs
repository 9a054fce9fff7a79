using System.Reflection;
using System.Text.Json;

namespace Toolbar.Panels.Cpu;

/// <summary>
/// Which modules are the app's own code. The rule: the entry assembly and the projects the app's dependency file
/// (<c>.deps.json</c>) lists as <c>project</c> (the app and its project references), never the toolbar, a package
/// or the shared framework. When there is no dependency file: modules loaded from outside the shared framework and
/// the NuGet cache.
/// </summary>
/// <remarks>One place to swap in the toolbar's shared "app code" rule once it exists.</remarks>
internal sealed class AppCode
{
    private static readonly HashSet<string> s_toolbarModules = new(StringComparer.OrdinalIgnoreCase)
    {
        "Toolbar", "Toolbar.Core", "Toolbar.Redis", "Toolbar.Testing",
    };

    private readonly HashSet<string>? _projects;
    private readonly string? _entry;
    private readonly string _frameworkDirectory;
    private readonly string? _nugetDirectory;

    public AppCode()
    {
        _entry = Assembly.GetEntryAssembly()?.GetName().Name;
        _projects = ReadProjects();
        // e.g. <dotnet>/shared/Microsoft.NETCore.App/10.0.0/: its parent holds every shared framework.
        _frameworkDirectory = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(typeof(object).Assembly.Location) ?? "") ?? "") ?? "";
        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        _nugetDirectory = string.IsNullOrEmpty(home) ? null : home;
    }

    public bool IsAppModule(string module, string? path)
    {
        if (s_toolbarModules.Contains(module) || module.StartsWith("Microsoft.Diagnostics.", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (string.Equals(module, _entry, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (_projects is not null)
        {
            return _projects.Contains(module);
        }

        return path is not null
            && !(_frameworkDirectory.Length > 0 && path.StartsWith(_frameworkDirectory, StringComparison.OrdinalIgnoreCase))
            && !(_nugetDirectory is not null && path.StartsWith(_nugetDirectory, StringComparison.OrdinalIgnoreCase));
    }

    private static HashSet<string>? ReadProjects()
    {
        try
        {
            var files = AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string;
            if (string.IsNullOrEmpty(files))
            {
                return null;
            }

            var projects = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var file in files.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!File.Exists(file))
                {
                    continue;
                }

                using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
                if (!doc.RootElement.TryGetProperty("libraries", out var libraries))
                {
                    continue;
                }

                foreach (var library in libraries.EnumerateObject())
                {
                    if (library.Value.TryGetProperty("type", out var type) && type.ValueEquals("project"))
                    {
                        // "SampleApp/1.0.0": the assembly carries the project's name.
                        var name = library.Name.Split('/')[0];
                        if (!s_toolbarModules.Contains(name))
                        {
                            projects.Add(name);
                        }
                    }
                }
            }

            return projects.Count > 0 ? projects : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
