using Toolbar.TestSupport;

namespace Toolbar.Tests.Plugins;

/// <summary>
/// The <c>dotnet new toolbar-panel</c> template: installed into a private template hive (the user's own template
/// cache is never touched), instantiated into a temporary folder against this checkout's Toolbar project, built,
/// and its own test run. Slow (restore and build of three projects), so this is the one test of it.
/// </summary>
public sealed class TemplateTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "toolbar-template-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temp folder's cleanup gets it later.
        }
    }

    [Fact]
    public async Task Template_instantiates_a_panel_project_whose_test_passes()
    {
        var repo = RepoRoot();
        var hive = Path.Combine(_work, "hive");
        var output = Path.Combine(_work, "Acme");
        var toolbarProject = Path.Combine(repo, "src", "Toolbar", "Toolbar.csproj");

        await RunAsync(_work, "new", "install", Path.Combine(repo, "templates", "ToolbarPanel"), "--debug:custom-hive", hive);
        await RunAsync(_work, "new", "toolbar-panel", "-n", "Acme", "-o", output, "--ToolbarProject", toolbarProject, "--debug:custom-hive", hive);
        // Exactly what the guide tells a panel author to run, in the generated folder (its Acme.slnx).
        var test = await RunAsync(output, "test", "-nodeReuse:false");

        Assert.True(File.Exists(Path.Combine(output, "Acme.slnx")));
        Assert.True(File.Exists(Path.Combine(output, "Acme", "AcmePanel.cs")));
        Assert.True(File.Exists(Path.Combine(output, "Acme", "Assets", "acme.js")));
        Assert.Contains("Passed!  - Failed:     0, Passed:     1, Skipped:     0, Total:     1", test, StringComparison.Ordinal);
    }

    private static Task<string> RunAsync(string workingDirectory, params string[] args) => DotNet.RunAsync(workingDirectory, args);

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Toolbar.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Toolbar.sln not found above " + AppContext.BaseDirectory);
    }
}
