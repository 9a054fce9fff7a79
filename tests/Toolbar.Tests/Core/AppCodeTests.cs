using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace Toolbar.Tests.Core;

public class AppCodeTests
{
    private static AppCode Rule(Action<ToolbarOptions>? configure = null)
    {
        var options = new ToolbarOptions();
        configure?.Invoke(options);
        return new AppCode(Options.Create(options));
    }

    [Fact]
    public void Assemblies_built_with_the_app_are_app_code_and_packages_framework_and_toolbar_are_not()
    {
        var rule = Rule();
        // This test project and the sample app are "project" entries of the app's deps.json.
        Assert.True(rule.IsAppAssembly(typeof(AppCodeTests).Assembly));
        Assert.True(rule.IsAppAssembly(typeof(SampleApp.RetainedItems).Assembly));
        // A NuGet package, the shared framework and the toolbar itself are not, whatever their namespaces.
        Assert.False(rule.IsAppAssembly(typeof(Dapper.SqlMapper).Assembly));
        Assert.False(rule.IsAppAssembly(typeof(Microsoft.EntityFrameworkCore.DbContext).Assembly));
        Assert.False(rule.IsAppAssembly(typeof(object).Assembly));
        Assert.False(rule.IsAppAssembly(typeof(Microsoft.AspNetCore.Http.HttpContext).Assembly));
        Assert.False(rule.IsAppAssembly(typeof(ToolbarOptions).Assembly));
    }

    [Fact]
    public void Options_add_and_remove_assemblies()
    {
        var rule = Rule(o =>
        {
            o.AppAssemblies.Add("Dapper");
            o.NonAppAssemblies.Add(typeof(AppCodeTests).Assembly.GetName().Name!);
        });
        Assert.True(rule.IsAppAssembly(typeof(Dapper.SqlMapper).Assembly));
        Assert.False(rule.IsAppAssembly(typeof(AppCodeTests).Assembly));
    }

    [Fact]
    public void A_captured_frame_resolves_to_this_file_and_the_line_that_was_running()
    {
        var rule = Rule();
        var (stack, expectedLine) = StackHere();
        var frames = rule.AppFrames(stack);
        var frame = rule.Resolve(frames[0]);

        Assert.Equal(typeof(AppCodeTests).FullName + "." + nameof(StackHere), frame.Method);
        // A deterministic (CI) build maps the compiler's paths to /_/…; the frame names the file on this machine.
        Assert.True(File.Exists(frame.File), frame.File);
        Assert.EndsWith("/tests/Toolbar.Tests/Core/AppCodeTests.cs", frame.File, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(RepoFile("tests/Toolbar.Tests/Core/AppCodeTests.cs")), File.ReadAllText(frame.File));
        Assert.Equal(expectedLine, frame.Line);
        Assert.True(frame.Column > 0);
        Assert.Equal($"vscode://file/{string.Join('/', frame.File!.Split('/').Select(Uri.EscapeDataString))}:{expectedLine}:{frame.Column}", frame.EditorUrl);
    }

    [Fact]
    public void Deterministic_build_paths_are_found_under_the_content_root_or_its_parents()
    {
        var root = Directory.CreateTempSubdirectory("toolbar-map-").FullName;
        try
        {
            var app = Directory.CreateDirectory(Path.Combine(root, "repo", "src", "App")).FullName;
            var lib = Directory.CreateDirectory(Path.Combine(root, "repo", "src", "Lib")).FullName;
            File.WriteAllText(Path.Combine(lib, "Repository.cs"), "//");
            File.WriteAllText(Path.Combine(app, "Program.cs"), "//");
            var rule = new AppCode(Options.Create(new ToolbarOptions()), new Environment(app));

            Assert.Equal(Path.Combine(lib, "Repository.cs"), rule.LocalPath("/_/src/Lib/Repository.cs"));
            Assert.Equal(Path.Combine(app, "Program.cs"), rule.LocalPath("/_1/src/App/Program.cs"));
            // Not found, or not a mapped path: kept as the PDB says.
            Assert.Equal("/_/src/Lib/Missing.cs", rule.LocalPath("/_/src/Lib/Missing.cs"));
            Assert.Equal("/_x/src/Lib/Repository.cs", rule.LocalPath("/_x/src/Lib/Repository.cs"));
            Assert.Equal("/home/_/src/Lib/Repository.cs", rule.LocalPath("/home/_/src/Lib/Repository.cs"));
            Assert.Equal("/_/", rule.LocalPath("/_/"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed class Environment(string contentRoot) : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Development";
        public string ApplicationName { get; set; } = "App";
        public string ContentRootPath { get; set; } = contentRoot;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }

    private static string RepoFile(string relative)
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Toolbar.sln")))
            {
                return Path.Combine(dir, relative);
            }
        }

        throw new InvalidOperationException("the repository root was not found above " + AppContext.BaseDirectory);
    }

    // The README's examples, as a user would paste them.
    [Theory]
    [InlineData("vscode-insiders://file/{file}:{line}:{column}", "vscode-insiders://file//src/My%20App/Program.cs:12:3")]
    [InlineData("jetbrains://rider/navigate/reference?project=MyApp&path={file}:{line}", "jetbrains://rider/navigate/reference?project=MyApp&path=/src/My%20App/Program.cs:12")]
    [InlineData("file://{file}", "file:///src/My%20App/Program.cs")]
    public void Readme_editor_templates_give_these_links(string template, string expected) =>
        Assert.Equal(expected, Rule(o => o.EditorUrl = template).EditorLink("/src/My App/Program.cs", 12, 3));

    [Fact]
    public void Editor_template_is_configurable_and_empty_turns_links_off()
    {
        var rider = Rule(o => o.EditorUrl = "jetbrains://rider/navigate/reference?file={file}&line={line}");
        Assert.Equal("jetbrains://rider/navigate/reference?file=/src/My%20App/Program.cs&line=12", rider.EditorLink("/src/My App/Program.cs", 12, 3));
        var off = Rule(o => o.EditorUrl = "");
        Assert.Null(off.EditorLink("/src/Program.cs", 12, 3));
        Assert.Null(off.Resolve(off.AppFrames(new StackTrace(0, false))[0]).EditorUrl);
    }

    [Fact]
    public async Task Async_state_machines_lambdas_and_local_functions_are_named_after_the_method_that_wrote_them()
    {
        var rule = Rule();
        var stack = await AsyncHere();
        Assert.Equal(typeof(AppCodeTests).FullName + "." + nameof(AsyncHere), rule.DescribeMethod(rule.AppFrames(stack)[0].Method));

        StackTrace Local() => new(0, false);
        Assert.Equal(typeof(AppCodeTests).FullName + ".Local", rule.DescribeMethod(rule.AppFrames(Local())[0].Method));
    }

    [Fact]
    public void Lambdas_and_async_lambdas_of_top_level_statements_are_named_after_Main()
    {
        // The compiler names the top-level statements' method <Main>$, its lambdas <<Main>$>b__0_1 and their state machines <<<Main>$>b__0_2>d.
        var rule = Rule();
        var program = typeof(SampleApp.RetainedItem).Assembly.GetType("Program", throwOnError: true)!;
        var lambdas = program.GetNestedTypes(System.Reflection.BindingFlags.NonPublic)
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly))
            .Where(m => m.Name.StartsWith("<<Main>$>b__", StringComparison.Ordinal)).ToList();
        var stateMachines = program.GetNestedTypes(System.Reflection.BindingFlags.NonPublic).SelectMany(t => t.GetNestedTypes(System.Reflection.BindingFlags.NonPublic))
            .Where(t => t.Name.StartsWith("<<<Main>$>b__", StringComparison.Ordinal))
            .Select(t => t.GetMethod("MoveNext", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)!).ToList();
        Assert.NotEmpty(lambdas);
        Assert.NotEmpty(stateMachines);
        foreach (var method in lambdas.Concat(stateMachines))
        {
            Assert.Equal("Program.Main (lambda)", rule.DescribeMethod(method));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (StackTrace Stack, int Line) StackHere([CallerLineNumber] int line = 0)
    {
        var stack = new StackTrace(0, false); var expected = LineOf();
        return (stack, expected);
    }

    private static int LineOf([CallerLineNumber] int line = 0) => line;

    private static async Task<StackTrace> AsyncHere()
    {
        await Task.Yield();
        return new StackTrace(0, false);
    }
}
