using Microsoft.Extensions.Options;

namespace Toolbar;

/// <summary>
/// The default store: a ring of the newest records, bounded by <see cref="ToolbarOptions.MaxRequests"/>
/// and by <see cref="ToolbarOptions.MaxStoreBytes"/> (estimated). Asset records (<see cref="RequestRecord.IsAsset"/>)
/// live in a ring of their own (<see cref="ToolbarOptions.MaxAssetRequests"/>), so a page's files never evict the
/// page. Records are kept as objects: nothing is serialized until somebody asks for it. A shared snapshot
/// (<see cref="RequestRecord.SharedSnapshots"/>) is counted toward the byte bound once, while any stored record refers
/// to it, however many records share it.
/// </summary>
public sealed class InMemoryToolbarStore : IToolbarStore
{
    private readonly Lock _lock = new();
    private readonly LinkedList<RequestRecord> _records = new();
    private readonly LinkedList<RequestRecord> _assets = new();
    private readonly Dictionary<string, LinkedListNode<RequestRecord>> _byId = new(StringComparer.Ordinal);
    private readonly int _maxRequests;
    private readonly int _maxAssets;
    private readonly long _maxBytes;
    private readonly Dictionary<SharedSnapshot, int> _snapshotRefs = new(ReferenceEqualityComparer.Instance);
    private long _bytes;

    /// <summary>Creates the store with the configured bounds.</summary>
    public InMemoryToolbarStore(IOptions<ToolbarOptions> options)
    {
        _maxRequests = Math.Max(1, options.Value.MaxRequests);
        _maxBytes = Math.Max(1, options.Value.MaxStoreBytes);
        _maxAssets = Math.Max(1, options.Value.MaxAssetRequests);
    }

    /// <summary>Number of stored records.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _records.Count + _assets.Count;
            }
        }
    }

    /// <summary>Estimated bytes of all stored records.</summary>
    public long EstimatedBytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask AddAsync(RequestRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            if (_byId.ContainsKey(record.Id))
            {
                return ValueTask.CompletedTask;
            }

            var list = record.IsAsset ? _assets : _records;
            _byId[record.Id] = list.AddFirst(record);
            _bytes += record.EstimatedBytes;
            foreach (var snapshot in record.SharedSnapshots)
            {
                var refs = _snapshotRefs.GetValueOrDefault(snapshot);
                _snapshotRefs[snapshot] = refs + 1;
                if (refs == 0)
                {
                    // Its JSON is computed once per snapshot, not per record.
                    _bytes += snapshot.Size;
                }
            }

            // Assets give way first, and only to their own bound; keep at least the newest page even when it alone exceeds the byte bound.
            while (_assets.Count > 0 && (_assets.Count > _maxAssets || _bytes > _maxBytes) && !(_assets.Count == 1 && record.IsAsset && _records.Count == 0))
            {
                RemoveOldest(_assets);
            }

            while (_records.Count > 1 && (_records.Count > _maxRequests || _bytes > _maxBytes))
            {
                RemoveOldest(_records);
            }
        }

        return ValueTask.CompletedTask;
    }

    private void RemoveOldest(LinkedList<RequestRecord> list)
    {
        var oldest = list.Last!;
        list.RemoveLast();
        _byId.Remove(oldest.Value.Id);
        _bytes -= oldest.Value.EstimatedBytes;
        foreach (var snapshot in oldest.Value.SharedSnapshots)
        {
            if (_snapshotRefs.TryGetValue(snapshot, out var refs) && refs > 1)
            {
                _snapshotRefs[snapshot] = refs - 1;
            }
            else if (_snapshotRefs.Remove(snapshot))
            {
                _bytes -= snapshot.Size;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<RequestRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_byId.TryGetValue(id, out var node) ? node.Value : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> UpdateAsync(string id, Func<RequestRecord, bool> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(update);
        RequestRecord? record;
        lock (_lock)
        {
            record = _byId.TryGetValue(id, out var node) ? node.Value : null;
        }

        // Records are kept as objects here: changing the object is storing the change.
        return ValueTask.FromResult(record is not null && update(record));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RequestSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        RequestRecord[] records;
        lock (_lock)
        {
            records = [.. _records];
            if (_assets.Count > 0)
            {
                // Newest first across both rings.
                records = [.. records.Concat(_assets).OrderByDescending(r => r.StartTimestamp)];
            }
        }

        return ValueTask.FromResult<IReadOnlyList<RequestSummary>>(Array.ConvertAll(records, r => RequestSummary.From(r)));
    }

    /// <inheritdoc />
    public ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _records.Clear();
            _assets.Clear();
            _byId.Clear();
            _snapshotRefs.Clear();
            _bytes = 0;
        }

        return ValueTask.CompletedTask;
    }
}
