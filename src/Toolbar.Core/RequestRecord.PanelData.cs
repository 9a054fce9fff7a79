using Toolbar.Internal;

namespace Toolbar;

// The record's panel data: one slot per panel while the request runs, a dictionary once somebody reads the record
// that way, deferred entries built on first read, and the shared snapshots the data refers to.
public sealed partial class RequestRecord
{
    // A tracked record keeps each panel's data in the slot of the panel's index (no dictionary per request); the
    // dictionary is made when somebody reads the record that way (Panels), and is then the only copy.
    private static readonly object s_noEntry = new();
    private object?[]? _slots;
    private readonly IReadOnlyList<ToolbarPanel>? _slotPanels;
    private Dictionary<string, object?>? _panels;
    private SharedSnapshot[] _sharedSnapshots = [];
    private KeyValuePair<string, SharedSnapshot>[] _sharedPanelData = [];
    private int _deferredCount;

    /// <summary>
    /// Data of each panel by panel id, as produced by the panel when the request finished. Reading this
    /// property builds every panel's deferred data first (see <see cref="PanelContext.SetLazyData{TData}"/>);
    /// lock the dictionary while enumerating it.
    /// </summary>
    public Dictionary<string, object?> Panels
    {
        get
        {
            Dictionary<string, object?> panels;
            List<KeyValuePair<string, DeferredPanelData>>? pending = null;
            lock (_stateLock)
            {
                panels = PanelDictionary();
                if (_deferredCount > 0)
                {
                    lock (panels)
                    {
                        foreach (var (id, data) in panels)
                        {
                            if (data is DeferredPanelData deferred)
                            {
                                (pending ??= []).Add(new(id, deferred));
                            }
                        }
                    }
                }
            }

            // Built outside the record's lock (see DeferredPanelData).
            if (pending is not null)
            {
                foreach (var (id, deferred) in pending)
                {
                    var data = deferred.GetOrBuild(this, id, out var built);
                    if (built)
                    {
                        Settle(id, deferred, data);
                    }
                }
            }

            return panels;
        }
    }

    // Call under the state lock. From now on the dictionary holds the data: the slots are let go.
    private Dictionary<string, object?> PanelDictionary()
    {
        if (_panels is { } panels)
        {
            return panels;
        }

        panels = new Dictionary<string, object?>(_slots?.Length ?? 0, StringComparer.Ordinal);
        if (_slots is { } slots)
        {
            for (var i = 0; i < slots.Length; i++)
            {
                if (!ReferenceEquals(slots[i], s_noEntry))
                {
                    panels[_slotPanels![i].Id] = slots[i];
                }
            }
        }

        _panels = panels;
        _slots = null;
        return panels;
    }

    // Call under the state lock: the slot of a panel of this record's toolbar, while the data is kept in slots.
    private int SlotOf(string panelId)
    {
        if (_slots is null)
        {
            return -1;
        }

        for (var i = 0; i < _slotPanels!.Count; i++)
        {
            if (string.Equals(_slotPanels[i].Id, panelId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The data a panel produced for this record (built now if the panel deferred it), or <c>null</c>.</summary>
    public TData? GetPanelData<TData>(string panelId) where TData : class => GetPanelData(panelId) as TData;

    /// <summary>The data a panel produced for this record (built now if the panel deferred it), or <c>null</c>.</summary>
    public object? GetPanelData(string panelId)
    {
        object? value;
        lock (_stateLock)
        {
            if (SlotOf(panelId) is >= 0 and var slot)
            {
                value = _slots![slot];
                if (ReferenceEquals(value, s_noEntry))
                {
                    return null;
                }
            }
            else
            {
                var panels = PanelDictionary();
                lock (panels)
                {
                    if (!panels.TryGetValue(panelId, out value))
                    {
                        return null;
                    }
                }
            }
        }

        if (value is not DeferredPanelData pending)
        {
            return value;
        }

        // Built outside the record's lock (see DeferredPanelData).
        var data = pending.GetOrBuild(this, panelId, out var built);
        if (built)
        {
            Settle(panelId, pending, data);
        }

        return data;
    }

    // The built data takes the deferred entry's place, unless the panel set other data meanwhile.
    private void Settle(string panelId, DeferredPanelData pending, object? data)
    {
        lock (_stateLock)
        {
            if (SlotOf(panelId) is >= 0 and var slot)
            {
                if (ReferenceEquals(_slots![slot], pending))
                {
                    _slots[slot] = data;
                    _deferredCount--;
                }

                return;
            }

            var panels = PanelDictionary();
            lock (panels)
            {
                if (panels.TryGetValue(panelId, out var current) && ReferenceEquals(current, pending))
                {
                    panels[panelId] = data;
                    _deferredCount--;
                }
            }
        }
    }

    /// <summary>
    /// The shared snapshots this record's panel data refers to (see <see cref="SharedSnapshot"/>): a store that bounds
    /// its bytes counts each snapshot once for all the records that share it, not once per record.
    /// </summary>
    public IReadOnlyList<SharedSnapshot> SharedSnapshots => Volatile.Read(ref _sharedSnapshots);

    internal void AddSharedSnapshot(SharedSnapshot snapshot)
    {
        lock (_stateLock)
        {
            if (Array.IndexOf(_sharedSnapshots, snapshot) < 0)
            {
                Volatile.Write(ref _sharedSnapshots, snapshot.AddedTo(_sharedSnapshots));
            }
        }
    }

    /// <summary>Makes a snapshot's value the panel's whole data.</summary>
    internal void SetSharedPanelData(string panelId, SharedSnapshot snapshot)
    {
        SetPanelData(panelId, snapshot.BoxedValue);
        lock (_stateLock)
        {
            var index = Array.FindIndex(_sharedPanelData, e => string.Equals(e.Key, panelId, StringComparison.Ordinal));
            if (index < 0)
            {
                _sharedPanelData = snapshot.AddedTo(_sharedPanelData, panelId);
            }
            else if (!ReferenceEquals(_sharedPanelData[index].Value, snapshot))
            {
                // Rare (a panel replaces its shared data): a copy of this record's own.
                var copy = _sharedPanelData.ToArray();
                copy[index] = new(panelId, snapshot);
                _sharedPanelData = copy;
            }
        }

        AddSharedSnapshot(snapshot);
    }

    /// <summary>The snapshot that is the panel's whole data, or <c>null</c> (also when the data was replaced since).</summary>
    internal SharedSnapshot? GetSharedPanelData(string panelId, object? data)
    {
        lock (_stateLock)
        {
            foreach (var (id, snapshot) in _sharedPanelData)
            {
                if (string.Equals(id, panelId, StringComparison.Ordinal))
                {
                    return ReferenceEquals(snapshot.BoxedValue, data) ? snapshot : null;
                }
            }

            return null;
        }
    }

    internal void SetPanelData(string panelId, object? data)
    {
        lock (_stateLock)
        {
            if (data is DeferredPanelData)
            {
                _deferredCount++;
            }

            if (SlotOf(panelId) is >= 0 and var slot)
            {
                if (_slots![slot] is DeferredPanelData)
                {
                    _deferredCount--;
                }

                _slots[slot] = data;
                return;
            }

            var panels = PanelDictionary();
            lock (panels)
            {
                if (panels.TryGetValue(panelId, out var previous) && previous is DeferredPanelData)
                {
                    _deferredCount--;
                }

                panels[panelId] = data;
            }
        }
    }

    // Runs a deferred builder (once, see DeferredPanelData): a failure is the panel's, never the reader's.
    internal object? RunBuilder(string panelId, DeferredPanelData deferred)
    {
        try
        {
            return deferred.Build();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            OnLazyDataFailure?.Invoke(panelId, ex);
            AddPanelError(panelId, $"building data: {ex.GetType().Name}: {ex.Message}");
            return null;
        }
    }

    /// <summary>Told when a deferred builder fails (the toolbar logs it), with the panel id.</summary>
    internal Action<string, Exception>? OnLazyDataFailure { get; init; }
}
