using System.Diagnostics;

namespace Toolbar.Panels.Views;

/// <summary>A render step as captured while the request runs.</summary>
internal sealed class ViewRecord(int index, string kind, string name, string? path, string? modelType, int? parentIndex, object key, long startTimestamp, Activity? activity)
{
    public int Index { get; } = index;

    public string Kind { get; } = kind;

    public string Name { get; } = name;

    public string? Path { get; } = path;

    public string? ModelType { get; set; } = modelType;

    public int? ParentIndex { get; } = parentIndex;

    /// <summary>The framework object that identifies the step, so its end event finds it.</summary>
    public object Key { get; } = key;

    public long StartTimestamp { get; } = startTimestamp;

    public long? EndTimestamp { get; set; }

    public Activity? Activity { get; } = activity;
}
