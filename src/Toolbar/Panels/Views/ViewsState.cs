using System.Diagnostics;

namespace Toolbar.Panels.Views;

/// <summary>The render steps of one tracked request, with the ones still open (for nesting). Thread-safe.</summary>
internal sealed class ViewsState
{
    /// <summary>Upper bound of entries kept per request.</summary>
    public const int MaxEntries = 2000;

    private readonly Lock _lock = new();
    private readonly List<ViewRecord> _records = [];
    private readonly List<ViewRecord> _open = [];
    private int _dropped;
    private bool _finished;

    /// <summary>The innermost step still running, or <c>null</c>.</summary>
    public ViewRecord? Innermost
    {
        get
        {
            lock (_lock)
            {
                return _open.Count == 0 ? null : _open[^1];
            }
        }
    }

    /// <summary>Opens a step nested in the innermost open one; <c>null</c> when the cap is reached.</summary>
    public ViewRecord? Begin(string kind, string name, string? path, string? modelType, object key, Func<string, string, Activity?> startActivity)
    {
        lock (_lock)
        {
            if (_finished)
            {
                return null;
            }

            if (_records.Count >= MaxEntries)
            {
                _dropped++;
                return null;
            }

            var parent = _open.Count == 0 ? null : _open[^1];
            var record = new ViewRecord(_records.Count, kind, name, path, modelType, parent?.Index, key, Stopwatch.GetTimestamp(), startActivity(kind, name));
            _records.Add(record);
            _open.Add(record);
            return record;
        }
    }

    /// <summary>Closes the innermost open step started for <paramref name="key"/> (and any left open inside it).</summary>
    public ViewRecord? End(object key)
    {
        var end = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            for (var i = _open.Count - 1; i >= 0; i--)
            {
                if (!ReferenceEquals(_open[i].Key, key))
                {
                    continue;
                }

                var record = _open[i];
                record.EndTimestamp = end;
                _open.RemoveRange(i, _open.Count - i);
                return record;
            }

            return null;
        }
    }

    /// <summary>Stops recording and hands over what was recorded.</summary>
    public (ViewRecord[] Records, int Dropped) Finish()
    {
        lock (_lock)
        {
            _finished = true;
            ViewRecord[] records = [.. _records];
            _records.Clear();
            _open.Clear();
            return (records, _dropped);
        }
    }
}
