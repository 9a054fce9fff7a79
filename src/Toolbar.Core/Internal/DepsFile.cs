using System.Text.Json;

namespace Toolbar.Internal;

/// <summary>
/// What the app's <c>deps.json</c> says each library is: <c>project</c> (built with the app), <c>package</c>
/// (NuGet), <c>reference</c>… Read once; a missing or unreadable file says nothing.
/// </summary>
internal sealed class DepsFile
{
    private readonly Dictionary<string, string> _kinds;

    private DepsFile(Dictionary<string, string> kinds) => _kinds = kinds;

    public string? KindOf(string assemblyName) => _kinds.GetValueOrDefault(assemblyName);

    public static DepsFile Load()
    {
        var kinds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        // The host separates the files with ';' on every platform.
        var files = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!files.Exists(f => f.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase) && !IsFrameworkFile(f)))
        {
            // A host that runs the app's assembly from its own entry point (a test host) names no deps file: the app's folder has it.
            try
            {
                files.AddRange(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.deps.json"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // No folder to read: the folder rule decides.
            }
        }

        foreach (var path in files)
        {
            // The first file is the app's own; framework deps files list the framework (all "project" of its own build).
            if (!path.EndsWith(".deps.json", StringComparison.OrdinalIgnoreCase) || IsFrameworkFile(path))
            {
                continue;
            }

            try
            {
                using var stream = File.OpenRead(path);
                using var doc = JsonDocument.Parse(stream);
                if (!doc.RootElement.TryGetProperty("libraries", out var libraries))
                {
                    continue;
                }

                foreach (var library in libraries.EnumerateObject())
                {
                    var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
                    var name = slash > 0 ? library.Name[..slash] : library.Name;
                    if (library.Value.TryGetProperty("type", out var type) && type.GetString() is { } kind)
                    {
                        kinds.TryAdd(name, kind);
                    }
                }

                // Libraries list packages; the files they bring can have other names (a package with several assemblies).
                if (doc.RootElement.TryGetProperty("targets", out var targets))
                {
                    foreach (var target in targets.EnumerateObject())
                    {
                        foreach (var library in target.Value.EnumerateObject())
                        {
                            var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
                            var name = slash > 0 ? library.Name[..slash] : library.Name;
                            var kind = kinds.GetValueOrDefault(name);
                            if (kind is null || !library.Value.TryGetProperty("runtime", out var runtime))
                            {
                                continue;
                            }

                            foreach (var file in runtime.EnumerateObject())
                            {
                                kinds.TryAdd(Path.GetFileNameWithoutExtension(file.Name), kind);
                            }
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
            {
                // Without deps.json the folder rule decides.
            }
        }

        return new DepsFile(kinds);
    }

    private static bool IsFrameworkFile(string path)
    {
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? "";
        var sharedDir = Path.GetDirectoryName(Path.GetDirectoryName(runtimeDir)) ?? runtimeDir;
        return path.StartsWith(sharedDir, StringComparison.Ordinal);
    }
}
