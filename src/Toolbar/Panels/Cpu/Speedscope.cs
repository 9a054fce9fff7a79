namespace Toolbar.Panels.Cpu;

/// <summary>
/// A profile in speedscope's file format (https://www.speedscope.app/file-format-schema.json), which speedscope and
/// other profile viewers open. One "sampled" profile: each distinct call path is one sample (root first) weighted by
/// the milliseconds its samples stand for.
/// </summary>
internal static class Speedscope
{
    public const string Schema = "https://www.speedscope.app/file-format-schema.json";

    public static SpeedscopeFile Create(CpuData data, string name)
    {
        var frames = data.Functions.Select(f => new SpeedscopeFrame(f.Name, f.Module)).ToList();
        var samples = new List<int[]>();
        var weights = new List<double>();
        var tree = data.Tree;
        for (var i = 0; i < tree.Count; i++)
        {
            if (tree[i].SelfSamples == 0 || tree[i].Function < 0)
            {
                continue;
            }

            // The node's path, root first: walk up the parents, then reverse.
            var path = new List<int>();
            for (var n = i; n >= 0 && tree[n].Function >= 0; n = tree[n].Parent)
            {
                path.Add(tree[n].Function);
            }

            path.Reverse();
            samples.Add([.. path]);
            weights.Add(tree[i].SelfSamples * data.IntervalMs);
        }

        var end = weights.Sum();
        return new SpeedscopeFile(
            Schema,
            new SpeedscopeShared(frames),
            [new SpeedscopeProfile("sampled", name, "milliseconds", 0, end, samples, weights)],
            name,
            0,
            "Toolbar CPU panel");
    }
}
