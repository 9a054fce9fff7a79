using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Toolbar.Internal;

namespace Toolbar.Stores;

// The background writer: batches from the bounded queue, shared snapshots written once, drops counted, outages backed off.
public partial class DistributedToolbarStore
{
    private void OnQueueDropped(RequestRecord record)
    {
        _pending.TryRemove(new KeyValuePair<string, RequestRecord>(record.Id, record));
        CountDropped(1, outage: false);
    }

    private void CountDropped(long count, bool outage)
    {
        Interlocked.Add(ref _droppedTotal, count);
        Interlocked.Add(ref outage ? ref _droppedInOutage : ref _droppedQueueFull, count);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<RequestRecord>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            try
            {
                if (IsInBackoff())
                {
                    CountDropped(batch.Count, outage: true);
                    continue;
                }

                await WriteBatchAsync(batch).ConfigureAwait(false);
            }
            catch (ToolbarStoreUnavailableException)
            {
                CountDropped(batch.Count, outage: true);
            }
            catch (Exception ex)
            {
                Log.StoreFailed(_logger, "add", ex);
                Interlocked.Add(ref _droppedTotal, batch.Count);
            }
            finally
            {
                foreach (var record in batch)
                {
                    _pending.TryRemove(new KeyValuePair<string, RequestRecord>(record.Id, record));
                }

                WarnOfDrops();
            }
        }
    }

    private async Task WriteBatchAsync(List<RequestRecord> batch)
    {
        var now = DateTimeOffset.UtcNow;
        var snapshots = new Dictionary<string, SharedSnapshot>(StringComparer.Ordinal);
        var records = new List<StoredWrite>(batch.Count);
        var entries = new List<StoredSummary>(batch.Count);
        foreach (var record in batch)
        {
            byte[] json;
            try
            {
                json = RecordSerializer.Serialize(record, _runtime, snapshots);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One record that cannot be written must not cost the others theirs.
                Log.StoreFailed(_logger, "add", ex);
                Interlocked.Increment(ref _droppedTotal);
                continue;
            }

            records.Add(new StoredWrite(RecordKey(record.Id), json, now + _lifetime));
            entries.Add(new StoredSummary
            {
                Id = record.Id,
                Method = record.Method,
                Path = record.Path,
                QueryString = record.QueryString,
                StatusCode = record.StatusCode,
                DurationMs = Math.Round(record.DurationMs, 2),
                StartedAt = record.StartedAt,
                ContentType = record.ContentType,
                IsAjax = record.IsAjax,
                GrpcStatus = record.GrpcStatus,
                GrpcMessage = record.GrpcMessage,
                Bytes = json.Length,
                // Never null, so that readers of the list need not fetch the record to learn it has no badges.
                Badges = RecordSerializer.Badges(record, _runtime) ?? [],
            });
        }

        if (records.Count == 0)
        {
            return;
        }

        // Snapshots first: a record is never readable before what it refers to.
        var writes = SnapshotWrites(snapshots.Values, now);
        writes.AddRange(records);
        await CallAsync(async () =>
        {
            await WriteAsync(writes, CancellationToken.None).ConfigureAwait(false);
            return true;
        }, "add", CancellationToken.None).ConfigureAwait(false);
        MarkSnapshotsWritten(writes);

        var evicted = await CallAsync(() => AddToIndexAsync(entries, CancellationToken.None), "add", CancellationToken.None).ConfigureAwait(false);
        if (evicted.Count > 0)
        {
            await CallAsync(async () =>
            {
                await RemoveAsync([.. evicted.Select(e => RecordKey(e.Id))], CancellationToken.None).ConfigureAwait(false);
                return true;
            }, "add", CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The snapshots to (re)write with a batch: those this instance has not written within the refresh interval. Each
    /// lives the record lifetime plus that interval, so it outlives every record written until its next rewrite.
    /// </summary>
    private List<StoredWrite> SnapshotWrites(IEnumerable<SharedSnapshot> snapshots, DateTimeOffset now)
    {
        var writes = new List<StoredWrite>();
        foreach (var snapshot in snapshots)
        {
            if (_snapshotWrittenAt.TryGetValue(snapshot.Hash, out var at) && now.UtcTicks - at < _snapshotRefresh.Ticks)
            {
                continue;
            }

            var json = snapshot.Json.ToArray();
            writes.Add(new StoredWrite(SnapshotKey(snapshot.Hash), json, now + _lifetime + _snapshotRefresh));
            RememberSnapshot(snapshot.Hash, json);
        }

        return writes;
    }

    private void MarkSnapshotsWritten(List<StoredWrite> writes)
    {
        var now = DateTime.UtcNow.Ticks;
        var prefix = Key(SnapshotKeyPart);
        foreach (var write in writes)
        {
            if (write.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                _snapshotWrittenAt[write.Key[prefix.Length..]] = now;
            }
        }
    }

    private void RememberSnapshot(string hash, byte[] json)
    {
        if (_snapshotJson.Count >= 64)
        {
            _snapshotJson.Clear();
        }

        _snapshotJson[hash] = json;
    }

    /// <summary>A stored record read back, with the snapshots it refers to fetched in one call.</summary>
    private async Task<(RequestRecord Record, int Missing)> ReadRecordAsync(byte[] json, string operation, CancellationToken cancellationToken)
    {
        var stored = RecordSerializer.Parse(json);
        Dictionary<string, byte[]>? snapshots = null;
        var missing = 0;
        if (stored.Snapshots is { Count: > 0 } hashes)
        {
            snapshots = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var unknown = new List<string>();
            foreach (var hash in hashes)
            {
                if (_snapshotJson.TryGetValue(hash, out var known))
                {
                    snapshots[hash] = known;
                }
                else
                {
                    unknown.Add(hash);
                }
            }

            if (unknown.Count > 0)
            {
                var values = await CallAsync(() => ReadAsync([.. unknown.Select(SnapshotKey)], cancellationToken), operation, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < unknown.Count; i++)
                {
                    // Only JSON whose hash matches is trusted as the snapshot.
                    if (values[i] is { } value && SharedSnapshot.HashOf(value) == unknown[i])
                    {
                        snapshots[unknown[i]] = value;
                        RememberSnapshot(unknown[i], value);
                    }
                    else
                    {
                        missing++;
                    }
                }
            }
        }

        return (RecordSerializer.Build(stored, json.Length, _runtime, snapshots), missing);
    }

    /// <summary>Drops the oldest entries beyond the count and byte bounds (keeping at least the newest).</summary>
    private List<StoredSummary> Trim(List<StoredSummary> index)
    {
        var evicted = new List<StoredSummary>();
        var total = 0L;
        foreach (var entry in index)
        {
            total += entry.Bytes;
        }

        while (index.Count > 1 && (index.Count > _maxRequests || total > _maxBytes))
        {
            var oldest = index[^1];
            index.RemoveAt(index.Count - 1);
            total -= oldest.Bytes;
            evicted.Add(oldest);
        }

        return evicted;
    }

    private void WarnOfDrops()
    {
        if (Interlocked.Read(ref _droppedQueueFull) == 0)
        {
            return;
        }

        var now = DateTime.UtcNow.Ticks;
        var last = Interlocked.Read(ref _lastDropWarningTicks);
        if (last != 0 && now - last < s_dropWarningInterval.Ticks)
        {
            return;
        }

        Interlocked.Exchange(ref _lastDropWarningTicks, now);
        var seconds = last == 0 ? (int)s_dropWarningInterval.TotalSeconds : (int)TimeSpan.FromTicks(now - last).TotalSeconds;
        StoreLog.Dropped(_logger, Interlocked.Exchange(ref _droppedQueueFull, 0), seconds, QueueCapacity);
    }

    /// <summary>Calls the cache unless it failed moments ago; turns its failures into <see cref="ToolbarStoreUnavailableException"/>.</summary>
    private async Task<T> CallAsync<T>(Func<Task<T>> call, string operation, CancellationToken cancellationToken)
    {
        if (IsInBackoff())
        {
            throw Unavailable(null);
        }

        try
        {
            var result = await call().ConfigureAwait(false);
            if (Interlocked.Exchange(ref _down, 0) == 1)
            {
                StoreLog.Recovered(_logger, Interlocked.Exchange(ref _droppedInOutage, 0));
            }

            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Interlocked.Exchange(ref _downUntilTicks, DateTime.UtcNow.Add(s_retryAfter).Ticks);
            // The server may come back empty (a restart): write every snapshot again once it answers.
            _snapshotWrittenAt.Clear();
            if (Interlocked.Exchange(ref _down, 1) == 0)
            {
                // Logged once per outage, not per request.
                StoreLog.Unavailable(_logger, operation, ex);
            }

            throw Unavailable(ex);
        }
    }

    private bool IsInBackoff() => Volatile.Read(ref _down) == 1 && DateTime.UtcNow.Ticks < Interlocked.Read(ref _downUntilTicks);

    private static ToolbarStoreUnavailableException Unavailable(Exception? inner)
    {
        const string message = "The toolbar's record store (distributed cache) is unavailable. The app keeps serving; requests made meanwhile are not recorded.";
        return inner is null ? new ToolbarStoreUnavailableException(message) : new ToolbarStoreUnavailableException(message, inner);
    }
}
