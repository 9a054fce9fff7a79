using Toolbar.Panels.Cpu;

namespace Toolbar.Tests.Panels.Cpu;

/// <summary>Aggregation of samples into functions and the call tree, against hand-counted samples.</summary>
public class CpuProfileBuilderTests
{
    private static readonly CpuFrame Main = new("App.Main()", "App", null);
    private static readonly CpuFrame Work = new("App.Work()", "App", null);
    private static readonly CpuFrame Hash = new("System.Hash()", "System.Private.CoreLib", null);

    // Frames leaf first, as the profiler hands them over.
    private static ResolvedSample Sample(params CpuFrame[] leafFirst) => new(1, 0, leafFirst);

    private static CpuData Build(params ResolvedSample[] samples) =>
        CpuProfileBuilder.Build(samples, 1.0, 10, rounds: 10, processSamples: 100, "header", f => f.Module == "App");

    [Fact]
    public void Self_and_total_samples_are_counted_per_function_and_sorted_by_self()
    {
        var data = Build(
            Sample(Hash, Work, Main),
            Sample(Hash, Work, Main),
            Sample(Work, Main),
            Sample(Main));

        Assert.Equal(4, data.SampleCount);
        // By self, then by total: Main and Work have one self sample each, Main is on more stacks.
        Assert.Equal(["System.Hash()", "App.Main()", "App.Work()"], data.Functions.Select(f => f.Name));
        Assert.Equal([2, 1, 1], data.Functions.Select(f => f.SelfSamples));
        Assert.Equal([2, 4, 3], data.Functions.Select(f => f.TotalSamples));
        Assert.Equal([false, true, true], data.Functions.Select(f => f.AppCode));
    }

    [Fact]
    public void A_recursive_function_counts_once_per_sample_in_its_total()
    {
        var data = Build(Sample(Work, Work, Work, Main));

        var work = data.Functions.Single(f => f.Name == "App.Work()");
        Assert.Equal(1, work.TotalSamples);
        Assert.Equal(1, work.SelfSamples);
    }

    [Fact]
    public void The_flat_tree_lists_parents_before_children_heaviest_first_and_adds_up()
    {
        var data = Build(
            Sample(Hash, Work, Main),
            Sample(Hash, Work, Main),
            Sample(Hash, Main),
            Sample(Main));

        var tree = data.Tree;
        Assert.Equal(-1, tree[0].Function);
        Assert.Equal(4, tree[0].TotalSamples);
        for (var i = 1; i < tree.Count; i++)
        {
            Assert.InRange(tree[i].Parent, 0, i - 1);
        }

        // Every node's total is its self plus its children's totals.
        for (var i = 0; i < tree.Count; i++)
        {
            var children = tree.Where(n => n.Parent == i).ToList();
            Assert.Equal(tree[i].TotalSamples, tree[i].SelfSamples + children.Sum(c => c.TotalSamples));
            Assert.Equal(children.OrderByDescending(c => c.TotalSamples).Select(c => c.TotalSamples), children.Select(c => c.TotalSamples));
        }

        // Main -> Work (2) comes before Main -> Hash (1).
        var main = tree.Single(n => n.Parent == 0);
        var mainIndex = tree.ToList().IndexOf(main);
        var firstChild = tree.First(n => n.Parent == mainIndex);
        Assert.Equal("App.Work()", data.Functions[firstChild.Function].Name);
        Assert.Equal(2, firstChild.TotalSamples);
    }

    [Fact]
    public void The_speedscope_file_has_one_weighted_sample_per_path_root_first()
    {
        var data = Build(Sample(Hash, Work, Main), Sample(Hash, Work, Main), Sample(Main));

        var file = Speedscope.Create(data, "GET /");

        var profile = Assert.Single(file.Profiles);
        var names = profile.Samples.Select(s => string.Join(">", s.Select(i => file.Shared.Frames[i].Name))).ToList();
        Assert.Equal(["App.Main()", "App.Main()>App.Work()>System.Hash()"], names.Order());
        Assert.Equal(3.0, profile.Weights.Sum());
        Assert.Equal(3.0, profile.EndValue - profile.StartValue);
    }
}
