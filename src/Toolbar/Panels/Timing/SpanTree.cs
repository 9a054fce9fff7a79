using System.Diagnostics;
using System.Globalization;

namespace Toolbar.Panels.Timing;

/// <summary>Turns the activities recorded for a request into the panel's span tree (after the request, off the hot path).</summary>
internal static class SpanTree
{
    private const int MaxTags = 12;
    private const int MaxTagLength = 300;

    // Tags that say best what a span did, in order of preference.
    private static readonly string[] s_detailTags =
        ["url.full", "http.url", "db.query.text", "db.statement", "messaging.destination.name", "rpc.method", "server.address"];

    public static TimingData Build(string rootName, DateTime requestStartUtc, double durationMs, Activity[] activities, CommandSpan[]? commands = null)
    {
        commands ??= [];
        var nodes = new Node[activities.Length + 1];
        var root = new Node(null, rootName, "request", 0, durationMs, unfinished: false);
        nodes[0] = root;
        var byActivity = new Dictionary<Activity, Node>(activities.Length, ReferenceEqualityComparer.Instance);
        var bySpanId = new Dictionary<ActivitySpanId, Node>(activities.Length);
        for (var i = 0; i < activities.Length; i++)
        {
            var activity = activities[i];
            var start = (activity.StartTimeUtc - requestStartUtc).TotalMilliseconds;
            var stopped = activity.IsStopped;
            var end = stopped ? start + activity.Duration.TotalMilliseconds : durationMs;
            var node = new Node(activity, activity.DisplayName, activity.Source.Name.Length == 0 ? "activity" : activity.Source.Name, start, end, unfinished: !stopped);
            nodes[i + 1] = node;
            byActivity[activity] = node;
            if (activity.IdFormat == ActivityIdFormat.W3C)
            {
                bySpanId.TryAdd(activity.SpanId, node);
            }
        }

        // Parent = the nearest recorded ancestor; activities whose chain leaves the request hang off the request itself.
        Node Parent(Activity? ancestor)
        {
            for (; ancestor is not null; ancestor = ancestor.Parent)
            {
                if (byActivity.TryGetValue(ancestor, out var found))
                {
                    return found;
                }
            }

            return root;
        }

        for (var i = 1; i < nodes.Length; i++)
        {
            var activity = nodes[i].Activity!;

            // Started from a parent context rather than the current activity (no parent object): the recorded
            // activity with that span id, when there is one.
            var parent = activity.Parent is null && activity.ParentSpanId != default && bySpanId.TryGetValue(activity.ParentSpanId, out var byId)
                ? byId
                : Parent(activity.Parent);
            parent.Children.Add(nodes[i]);
        }

        foreach (var command in commands)
        {
            var start = (command.StartUtc - requestStartUtc).TotalMilliseconds;
            var node = new Node(null, command.Name, command.Source, start, start + command.Duration.TotalMilliseconds, unfinished: false)
            {
                Command = command,
            };
            Parent(command.Parent).Children.Add(node);
        }

        var data = new TimingData { DurationMs = Round(durationMs) };
        Emit(root, null, 0, data.Spans);

        TimingSpan? slowest = null;
        foreach (var span in data.Spans)
        {
            if (span.ParentId is not null && (slowest is null || span.SelfMs > slowest.SelfMs))
            {
                slowest = span;
            }
        }

        data.SlowestSpanId = slowest?.Id;
        return data;
    }

    private static void Emit(Node node, TimingSpan? parent, int depth, List<TimingSpan> spans)
    {
        // Children always lie within their parent: a child that outlived it (fire-and-forget work) is cut at its end.
        if (parent is not null)
        {
            var parentEnd = parent.StartMs + parent.DurationMs;
            node.Start = Math.Clamp(node.Start, parent.StartMs, parentEnd);
            node.End = Math.Clamp(node.End, node.Start, parentEnd);
        }

        var span = new TimingSpan
        {
            Id = spans.Count,
            ParentId = parent?.Id,
            Name = node.Name,
            Source = node.Source,
            StartMs = node.Start,
            DurationMs = node.End - node.Start,
            Depth = depth,
            Unfinished = node.Unfinished,
        };
        if (node.Activity is { } activity)
        {
            span.Error = activity.Status == ActivityStatusCode.Error;
            span.CallSite = activity.GetCustomProperty(Profiler.CallSiteProperty) is CapturedFrame callSite ? callSite : null;
            Describe(activity, span);
        }
        else if (node.Command is { } command)
        {
            span.Error = command.Error;
            span.Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["db.query.text"] = command.Text };
        }

        spans.Add(span);
        node.Children.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        var covered = 0.0;
        var coveredUntil = double.NegativeInfinity;
        foreach (var child in node.Children)
        {
            Emit(child, span, depth + 1, spans);
            var (childStart, childEnd) = (child.Start, child.End);

            // Union of the children's intervals (parallel children overlap), for the self time.
            if (childStart > coveredUntil)
            {
                covered += childEnd - childStart;
                coveredUntil = childEnd;
            }
            else if (childEnd > coveredUntil)
            {
                covered += childEnd - coveredUntil;
                coveredUntil = childEnd;
            }
        }

        // Rounded by their ends, so that start + duration of a child never passes its parent's end.
        span.SelfMs = Round(Math.Max(0, span.DurationMs - covered));
        span.StartMs = Round(node.Start);
        span.DurationMs = Round(Round(node.End) - span.StartMs);
    }

    private static void Describe(Activity activity, TimingSpan span)
    {
        Dictionary<string, string>? tags = null;
        foreach (var (key, value) in activity.EnumerateTagObjects())
        {
            if (value is null)
            {
                continue;
            }

            tags ??= new Dictionary<string, string>(StringComparer.Ordinal);
            if (tags.Count >= MaxTags)
            {
                break;
            }

            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            tags[key] = text.Length > MaxTagLength ? string.Concat(text.AsSpan(0, MaxTagLength), "…") : text;
        }

        span.Tags = tags;
        if (tags is null)
        {
            return;
        }

        foreach (var name in s_detailTags)
        {
            if (tags.TryGetValue(name, out var detail))
            {
                span.Detail = detail;
                break;
            }
        }

        // HttpClient names its activity just "GET": the URL is what tells calls apart.
        if (span.Source == "System.Net.Http" && tags.TryGetValue("url.full", out var url) && !span.Name.Contains(url, StringComparison.Ordinal))
        {
            span.Name = span.Name + " " + url;
            span.Detail = tags.TryGetValue("http.response.status_code", out var code) ? "status " + code : null;
        }

        if (!span.Error && (tags.ContainsKey("error.type") || (tags.TryGetValue("http.response.status_code", out var status) && status.Length == 3 && status[0] == '5')))
        {
            span.Error = true;
        }
    }

    private static double Round(double ms) => Math.Round(ms, 3);

    private sealed class Node(Activity? activity, string name, string source, double start, double end, bool unfinished)
    {
        public Activity? Activity { get; } = activity;

        public string Name { get; } = name;

        public string Source { get; } = source;

        public double Start { get; set; } = start;

        public double End { get; set; } = end;

        public bool Unfinished { get; } = unfinished;

        public CommandSpan? Command { get; init; }

        public List<Node> Children { get; } = [];
    }
}
