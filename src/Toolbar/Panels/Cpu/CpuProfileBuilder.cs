namespace Toolbar.Panels.Cpu;

/// <summary>Aggregates a request's samples into functions (self and total) and a call tree.</summary>
internal static class CpuProfileBuilder
{
    public static CpuData Build(IReadOnlyList<ResolvedSample> samples, double intervalMs, double durationMs, int rounds, int processSamples, string trigger, Func<CpuFrame, bool> isAppCode)
    {
        var indexOf = new Dictionary<(string Name, string Module), int>();
        var frames = new List<CpuFrame>();
        var self = new List<int>();
        var total = new List<int>();
        var lastSeen = new List<int>();
        var root = new Node(-1);
        var threads = new HashSet<ulong>();
        var outside = 0;

        for (var s = 0; s < samples.Count; s++)
        {
            var sample = samples[s];
            threads.Add(sample.ThreadId);
            if (sample.Frames.Length > 0 && ReferenceEquals(sample.Frames[0], CpuFrame.Outside))
            {
                outside++;
            }

            root.Total++;
            var node = root;
            // Frames are leaf first: walk from the root frame down.
            for (var i = sample.Frames.Length - 1; i >= 0; i--)
            {
                var frame = sample.Frames[i];
                if (!indexOf.TryGetValue((frame.Name, frame.Module), out var f))
                {
                    f = frames.Count;
                    indexOf.Add((frame.Name, frame.Module), f);
                    frames.Add(frame);
                    self.Add(0);
                    total.Add(0);
                    lastSeen.Add(-1);
                }

                // Recursion: a function counts once per sample in its total.
                if (lastSeen[f] != s)
                {
                    lastSeen[f] = s;
                    total[f]++;
                }

                node = node.Child(f);
                node.Total++;
                if (i == 0)
                {
                    self[f]++;
                    node.Self++;
                }
            }

            if (sample.Frames.Length == 0)
            {
                root.Self++;
            }
        }

        // Functions by self samples (then total, then name, for a stable order); the tree refers to them by new index.
        var order = Enumerable.Range(0, frames.Count)
            .OrderByDescending(i => self[i]).ThenByDescending(i => total[i]).ThenBy(i => frames[i].Name, StringComparer.Ordinal)
            .ToArray();
        var newIndex = new int[frames.Count];
        var functions = new List<CpuFunction>(frames.Count);
        foreach (var i in order)
        {
            newIndex[i] = functions.Count;
            functions.Add(new CpuFunction
            {
                Name = frames[i].Name,
                Module = frames[i].Module,
                SelfSamples = self[i],
                TotalSamples = total[i],
                AppCode = isAppCode(frames[i]),
            });
        }

        return new CpuData
        {
            Profiled = true,
            Trigger = trigger,
            SampleCount = samples.Count,
            OutsideManagedSamples = outside,
            IntervalMs = intervalMs,
            DurationMs = Math.Round(durationMs, 1),
            ThreadCount = threads.Count,
            Rounds = rounds,
            ProcessSampleCount = processSamples,
            Functions = functions,
            Tree = root.Flatten(newIndex),
        };
    }

    private sealed class Node(int function)
    {
        private Dictionary<int, Node>? _children;

        public int Function { get; } = function;

        public int Total { get; set; }

        public int Self { get; set; }

        public Node Child(int function)
        {
            _children ??= [];
            if (!_children.TryGetValue(function, out var child))
            {
                child = new Node(function);
                _children.Add(function, child);
            }

            return child;
        }

        public List<CpuNode> Flatten(int[] newIndex)
        {
            var nodes = new List<CpuNode>();
            var stack = new Stack<(Node Node, int Parent)>();
            stack.Push((this, -1));
            while (stack.Count > 0)
            {
                var (node, parent) = stack.Pop();
                var index = nodes.Count;
                nodes.Add(new CpuNode
                {
                    Function = node.Function < 0 ? -1 : newIndex[node.Function],
                    Parent = parent,
                    TotalSamples = node.Total,
                    SelfSamples = node.Self,
                });
                if (node._children is null)
                {
                    continue;
                }

                // Pushed lightest first, so the heaviest child is visited (and listed) first.
                var children = node._children.Values.ToList();
                children.Sort((a, b) => a.Total != b.Total ? a.Total.CompareTo(b.Total) : newIndex[b.Function].CompareTo(newIndex[a.Function]));
                foreach (var child in children)
                {
                    stack.Push((child, index));
                }
            }

            return nodes;
        }
    }
}
