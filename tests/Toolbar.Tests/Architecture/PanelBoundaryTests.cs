using System.Runtime.CompilerServices;
using Toolbar.Panels.Sql;
using Toolbar.Tests.Infrastructure;
using ToolbarFlags;

namespace Toolbar.Tests.Architecture;

/// <summary>
/// The built-in panels (assembly Toolbar) are compiled against the core's (assembly Toolbar.Core) public API only,
/// exactly like a third-party panel: the core grants them no access to its internals, and their compiled code
/// references nothing of the core that is not public.
/// </summary>
public class PanelBoundaryTests
{
    private static readonly System.Reflection.Assembly s_core = typeof(ToolbarPanel).Assembly;

    [Fact]
    public void Core_and_panels_are_different_assemblies()
    {
        Assert.Equal("Toolbar.Core", s_core.GetName().Name);
        Assert.Equal("Toolbar", typeof(SqlPanel).Assembly.GetName().Name);
    }

    [Fact]
    public void Core_grants_its_internals_to_test_and_benchmark_assemblies_only()
    {
        var friends = s_core.GetCustomAttributes(typeof(InternalsVisibleToAttribute), inherit: false)
            .Cast<InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName.Split(',')[0].Trim())
            .Order(StringComparer.Ordinal);

        Assert.Equal(["Toolbar.Benchmarks", "Toolbar.Tests"], friends);
    }

    [Fact]
    public void Built_in_panels_reference_only_public_core_api()
    {
        var references = CoreReferenceScanner.NonPublicCoreReferences(typeof(SqlPanel).Assembly.Location, s_core);

        Assert.Empty(references);
    }

    [Fact]
    public void Sample_plugin_references_only_public_core_api()
    {
        var references = CoreReferenceScanner.NonPublicCoreReferences(typeof(FlagsPanel).Assembly.Location, s_core);

        Assert.Empty(references);
    }

    [Fact]
    public void Scanner_finds_the_internals_an_assembly_with_access_uses()
    {
        // This test assembly is granted the core's internals and uses them: the scanner must see that, or the two
        // tests above would prove nothing.
        var references = CoreReferenceScanner.NonPublicCoreReferences(typeof(PanelBoundaryTests).Assembly.Location, s_core);

        Assert.Contains("type Toolbar.Internal.ToolbarRuntime", references);
        Assert.Contains(references, r => r.StartsWith("method Toolbar.RequestRecord.", StringComparison.Ordinal));
    }
}
