using System.Diagnostics;

namespace Toolbar.Panels.Views;

/// <summary>A render step as captured while the request runs.</summary>
internal sealed class ViewRecord(int index, string kind, string name, string? path, string? modelType, ViewRecord? parent, object key, long startTimestamp, Activity? activity)
{
    public int Index { get; } = index;

    public string Kind { get; } = kind;

    public string Name { get; } = name;

    public string? Path { get; } = path;

    public string? ModelType { get; set; } = modelType;

    /// <summary>The step it ran inside, or <c>null</c>.</summary>
    public ViewRecord? Parent { get; } = parent;

    public int? ParentIndex => Parent?.Index;

    /// <summary>The framework object that identifies the step, so its end event finds it.</summary>
    public object Key { get; } = key;

    public long StartTimestamp { get; } = startTimestamp;

    public long? EndTimestamp { get; set; }

    public Activity? Activity { get; } = activity;

    /// <summary>Tag helpers: how many of this type the parent created. Components: how many times it rendered.</summary>
    public int Count { get; set; }

    /// <summary>Tag helpers: time spent creating them. Components: time in its own steps (initialization and renders).</summary>
    public long OwnTicks { get; set; }
}
