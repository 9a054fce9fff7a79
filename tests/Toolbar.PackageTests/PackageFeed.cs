using System.Globalization;
using Toolbar.TestSupport;

namespace Toolbar.PackageTests;

/// <summary>
/// Every package packed once per test run into a temporary folder feed, with a version unique to the run, and a
/// NuGet.config for apps created below <see cref="Root"/>: the feed as one more source, a package folder of its
/// own (so a stale cached Toolbar can never stand in for the one just packed) that falls back to the machine's
/// global package folder for everything else.
/// </summary>
public sealed class PackageFeed : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "toolbar-packages-" + Guid.NewGuid().ToString("N"));

    public string Feed => Path.Combine(Root, "feed");

    public string Version { get; } = "1.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);

    public string RepoRoot { get; } = FindRepoRoot();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        // Packed from the Release build this test project depends on (its project references build it first).
        foreach (var project in new[] { "Toolbar.Core", "Toolbar", "Toolbar.Redis", "Toolbar.Testing", "Toolbar.Templates" })
        {
            await DotNet.RunAsync(RepoRoot, "pack", Path.Combine("src", project, project + ".csproj"), "-c", "Release", "--no-build",
                "-o", Feed, "-p:PackageVersion=" + Version, "-nodeReuse:false");
        }

        var global = (await DotNet.RunAsync(Root, "nuget", "locals", "global-packages", "--list")).Trim();
        global = global[(global.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        await File.WriteAllTextAsync(Path.Combine(Root, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(Root, "packages")}" />
              </config>
              <packageSources>
                <add key="toolbar-test-feed" value="{Feed}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{global}" />
              </fallbackPackageFolders>
            </configuration>
            """);
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temp folder's cleanup gets it later.
        }

        return Task.CompletedTask;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Toolbar.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Toolbar.sln not found above " + AppContext.BaseDirectory);
    }
}
