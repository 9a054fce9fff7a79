using System.Diagnostics;

namespace Toolbar.Panels.Views;

/// <summary>The render steps of one tracked request, with the ones still open (for nesting). Thread-safe.</summary>
internal sealed class ViewsState
{
    /// <summary>Upper bound of entries kept per request.</summary>
    public const int MaxEntries = 2000;

    private readonly Lock _lock = new();
    // The collections are made on first use: the state is made for every tracked request, most render no view (an API).
    private List<ViewRecord>? _records;
    private List<ViewRecord>? _openList;

    // Razor components by the id their renderer gave them, and the one whose step (initialization or render) runs now.
    private Dictionary<int, ViewRecord>? _componentMap;
    private ViewRecord? _step;
    private long _stepStart;

    // Tag helpers, one entry per type and the view that created them.
    private Dictionary<(ViewRecord? Parent, Type Type), ViewRecord>? _tagHelperMap;
    private int _dropped;
    private bool _finished;

    // The request's start on both clocks: every span's time is converted from its step's timestamp with this one pair,
    // so spans sit exactly where the steps are, relative to the request and to each other.
    private DateTime _anchorUtc;
    private long _anchorTimestamp;

    /// <summary>Sets the moment, on both clocks, from which the steps' spans are timed (the request's start).</summary>
    public void Anchor(DateTime utc, long timestamp)
    {
        _anchorUtc = utc;
        _anchorTimestamp = timestamp;
    }

    /// <summary>The innermost step still running, or <c>null</c>.</summary>
    private List<ViewRecord> OpenSteps => _openList ??= [];

    private Dictionary<int, ViewRecord> Components => _componentMap ??= [];

    private Dictionary<(ViewRecord? Parent, Type Type), ViewRecord> TagHelpers => _tagHelperMap ??= [];

    public ViewRecord? Innermost
    {
        get
        {
            lock (_lock)
            {
                return _openList is { Count: > 0 } open ? open[^1] : null;
            }
        }
    }

    /// <summary>Opens a step nested in the innermost open one; <c>null</c> when the cap is reached.</summary>
    public ViewRecord? Begin(string kind, string name, string? path, string? modelType, object key, Func<string, string, DateTime, Activity?> startActivity)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            EndStep(now);
            var parent = _openList is { Count: > 0 } open ? open[^1] : null;
            var record = Add(kind, name, path, modelType, parent, key, now, startActivity);
            if (record is not null)
            {
                OpenSteps.Add(record);
            }

            return record;
        }
    }

    /// <summary>Closes the innermost open step started for <paramref name="key"/> (and any left open inside it).</summary>
    public ViewRecord? End(object key)
    {
        var end = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            EndStep(end);
            for (var i = (_openList?.Count ?? 0) - 1; i >= 0; i--)
            {
                if (!ReferenceEquals(OpenSteps[i].Key, key))
                {
                    continue;
                }

                var record = OpenSteps[i];
                record.EndTimestamp = end;
                OpenSteps.RemoveRange(i, OpenSteps.Count - i);
                return record;
            }

            return null;
        }
    }

    /// <summary>
    /// A Razor component was created: under its parent component, or (a root) under the innermost open step (the
    /// view whose tag helper or HTML helper rendered it). Its own step (setting its parameters) starts now.
    /// </summary>
    public void ComponentInitialized(int componentId, Type type, int? parentComponentId, Func<ViewRecord?, string, string, DateTime, Activity?> startActivity)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            EndStep(now);
            ViewRecord? parent;
            if (parentComponentId is { } parentId)
            {
                // A child whose parent was not recorded (the toolbar's own, or beyond the cap) is not recorded either.
                if (!Components.TryGetValue(parentId, out parent))
                {
                    return;
                }
            }
            else
            {
                parent = _openList is { Count: > 0 } open ? open[^1] : null;
            }

            var record = Add("component", type.Name, ViewsObserver.TypeName(type), null, parent, type, now, (kind, name, start) => startActivity(parent, kind, name, start));
            if (record is null)
            {
                return;
            }

            // A renderer numbers its components from 0: a second renderer in the same request reuses ids, the latest wins.
            Components[componentId] = record;
            StartStep(record, now);
        }
    }

    /// <summary>A Razor component starts rendering (building its output and comparing it with the last one).</summary>
    public void ComponentRendering(int componentId)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            EndStep(now);
            if (Components.TryGetValue(componentId, out var record))
            {
                record.Count++;
                StartStep(record, now);
            }
        }
    }

    /// <summary>Ends the component step that runs now, if any (the response starts: the HTML is rendered).</summary>
    public void EndComponentStep()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            EndStep(now);
        }
    }

    /// <summary>Counts a tag helper created (in <paramref name="creationTicks"/>) while the innermost open step rendered.</summary>
    public void TagHelperCreated(Type type, long creationTicks)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            EndStep(now);
            var parent = _openList is { Count: > 0 } open ? open[^1] : null;
            if (!TagHelpers.TryGetValue((parent, type), out var record))
            {
                record = Add("tagHelper", type.Name, ViewsObserver.TypeName(type), null, parent, type, now - creationTicks, static (_, _, _) => null);
                if (record is null)
                {
                    return;
                }

                TagHelpers[(parent, type)] = record;
            }

            record.Count++;
            record.OwnTicks += creationTicks;
            record.EndTimestamp = now;
        }
    }

    /// <summary>Stops recording and hands over what was recorded.</summary>
    public (ViewRecord[] Records, int Dropped) Finish()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            EndStep(now);
            _finished = true;
            ViewRecord[] records = _records is null ? [] : [.. _records];
            _records = null;
            _openList = null;
            _componentMap = null;
            _tagHelperMap = null;
            return (records, _dropped);
        }
    }

    // Call under the lock.
    private ViewRecord? Add(string kind, string name, string? path, string? modelType, ViewRecord? parent, object key, long start, Func<string, string, DateTime, Activity?> startActivity)
    {
        if (_finished)
        {
            return null;
        }

        _records ??= [];
        if (_records.Count >= MaxEntries)
        {
            _dropped++;
            return null;
        }

        var record = new ViewRecord(_records.Count, kind, name, path, modelType, parent, key, start, startActivity(kind, name, UtcOf(start)));
        _records.Add(record);
        return record;
    }

    // The panel anchors the state when it creates it, at the request's start: the only place it is created.
    private DateTime UtcOf(long timestamp) => _anchorUtc + Stopwatch.GetElapsedTime(_anchorTimestamp, timestamp);

    private void StartStep(ViewRecord component, long now)
    {
        _step = component;
        _stepStart = now;
    }

    // A component's step lasts until the next thing the request reports (the renderer reports starts only); the
    // component and every component it is nested in then last at least until here.
    private void EndStep(long now)
    {
        if (_step is not { } step)
        {
            return;
        }

        _step = null;
        step.OwnTicks += now - _stepStart;
        for (var record = step; record is { Kind: "component" }; record = record.Parent)
        {
            if (record.EndTimestamp is null || record.EndTimestamp < now)
            {
                record.EndTimestamp = now;
                ViewsObserver.SetActivityEnd(record);
            }
        }
    }
}
