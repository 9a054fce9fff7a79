using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Runtime.InteropServices;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Toolbar.Panels.Memory;

/// <summary>
/// Takes a GC heap snapshot of this very process, the way dotnet-gcdump does from outside: an EventPipe
/// session on the runtime provider with the heap-dump keywords makes the runtime induce a full blocking
/// collection that reports every live object (GCBulkNode) and type (GCBulkType). We count objects by type
/// id while the events stream in and keep nothing else.
/// </summary>
internal sealed class HeapSnapshotter
{
    /// <summary>GC | Type | GCHeapDump | GCHeapCollect | GCHeapAndTypeNames: the keyword set dotnet-gcdump uses.</summary>
    public const long HeapDumpKeywords = 0x1980001;

    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    /// <summary>
    /// The runtime writes the whole heap walk while every managed thread (our reader too) is suspended, so
    /// all of it must fit in the session buffer; when it does not, events are dropped silently. The buffer
    /// is allocated as it fills, so a large limit costs only what a heap needs (about 100 bytes an object).
    /// </summary>
    public int BufferSizeMB { get; init; } = 1024;

    /// <summary>Longest wait for the induced collection to finish.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Walks the heap. Blocks the calling thread (call it off the request thread). Throws
    /// <see cref="HeapSnapshotException"/> when the snapshot is incomplete.
    /// </summary>
    public HeapSnapshot Take(int id, HeapSnapshotProgress progress, HeapTypeTable types)
    {
        // The threads panel's sessions would keep the runtime from naming types this walk meets again.
        using var pause = Toolbar.Panels.Threads.RuntimeSessionPause.Pause();
        var started = Stopwatch.GetTimestamp();
        var takenAt = DateTimeOffset.UtcNow;
        var collector = new Collector(progress);
        var fullCollectionsBefore = GC.CollectionCount(2);
        var providers = new[] { new EventPipeProvider(RuntimeProvider, EventLevel.Verbose, HeapDumpKeywords) };
        var client = new DiagnosticsClient(Environment.ProcessId);
        using (var session = client.StartEventPipeSession(providers, requestRundown: false, circularBufferMB: BufferSizeMB))
        using (var source = new EventPipeEventSource(session.EventStream))
        {
            collector.Subscribe(source);
            progress.Phase = "collecting";
            Exception? readerError = null;
            var reader = new Thread(() =>
            {
                try
                {
                    source.Process();
                }
                catch (Exception ex)
                {
                    readerError = ex;
                }
                finally
                {
                    collector.Done.Set();
                }
            })
            {
                IsBackground = true,
                Name = "Toolbar heap snapshot reader",
            };
            reader.Start();

            var completed = WaitForWalk(collector, source, progress, fullCollectionsBefore, started);

            // Stop from here, never from inside an event callback: Stop waits for the stream the callbacks read.
            progress.Phase = "parsing";
            try
            {
                session.Stop();
            }
            catch (Exception ex) when (ex is ServerNotAvailableException or IOException or TimeoutException)
            {
                // The session may already be gone; the reader ends when its stream ends either way.
            }

            reader.Join(TimeSpan.FromSeconds(30));
            GC.KeepAlive(client);
            if (readerError is not null)
            {
                throw new HeapSnapshotException("Reading the heap events failed: " + readerError.Message, readerError);
            }

            if (source.EventsLost > 0)
            {
                throw new HeapSnapshotException(
                    $"{source.EventsLost} events were lost (session buffer of {BufferSizeMB} MB too small for this heap); the snapshot would be incomplete.");
            }

            if (!collector.Finished)
            {
                throw new HeapSnapshotException(completed
                    ? $"The heap walk's closing events were lost (session buffer of {BufferSizeMB} MB too small for this heap?); the snapshot would be incomplete."
                    : $"The induced collection did not finish within {Timeout.TotalSeconds:0} s.");
            }
        }

        var fragmented = FragmentationOf(collector.GcIndex);
        var snapshot = collector.Build(id, takenAt, types, Stopwatch.GetElapsedTime(started).TotalMilliseconds, fragmented);
        CrossCheck(snapshot);
        progress.Phase = "done";
        return snapshot;
    }

    /// <summary>
    /// Waits until the reader saw the end of the induced collection. Gives up early when events were lost, or
    /// when the collection is over in this process but its events stopped arriving (dropped ones never come).
    /// Returns <c>false</c> only on timeout.
    /// </summary>
    private bool WaitForWalk(Collector collector, EventPipeEventSource source, HeapSnapshotProgress progress, int fullCollectionsBefore, long started)
    {
        var lastObjects = -1L;
        var lastChange = Stopwatch.GetTimestamp();
        while (!collector.Done.Wait(100))
        {
            if (source.EventsLost > 0)
            {
                return true;
            }

            var objects = progress.Objects;
            if (objects != lastObjects)
            {
                lastObjects = objects;
                lastChange = Stopwatch.GetTimestamp();
            }
            else if (GC.CollectionCount(2) > fullCollectionsBefore && Stopwatch.GetElapsedTime(lastChange) > TimeSpan.FromSeconds(2))
            {
                return true;
            }

            if (Stopwatch.GetElapsedTime(started) > Timeout)
            {
                return false;
            }
        }

        return true;
    }

    private static long FragmentationOf(long gcIndex)
    {
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        return info.Index == gcIndex ? info.FragmentedBytes : -1;
    }

    /// <summary>
    /// The objects reported must add up to what the GC says its heap holds after the same collection
    /// (heap size minus free space): a shortfall means events went missing without being counted as lost.
    /// </summary>
    private static void CrossCheck(HeapSnapshot snapshot)
    {
        if (snapshot.HeapStatsBytes <= 0 || snapshot.FragmentedBytes < 0)
        {
            return;
        }

        var expected = snapshot.HeapStatsBytes - snapshot.FragmentedBytes;
        if (snapshot.TotalBytes < expected * 0.9)
        {
            throw new HeapSnapshotException(
                $"The heap walk reported {snapshot.TotalBytes:N0} bytes of objects but the GC counts {expected:N0} live bytes: events were lost.");
        }
    }

    /// <summary>Event callbacks and their state; runs on the reader thread only, until <see cref="Done"/>.</summary>
    private sealed class Collector(HeapSnapshotProgress progress)
    {
        private readonly Dictionary<ulong, BulkType> _types = [];
        private readonly Dictionary<ulong, Totals> _totals = [];
        private long _gcIndex = -1;
        private bool _gcEnded;
        private double _suspendStartMs = double.NaN;
        private double _pauseStartMs = double.NaN;
        private double _pauseMs = double.NaN;
        private long _heapStatsBytes;

        public ManualResetEventSlim Done { get; } = new();

        public bool Finished { get; private set; }

        public long GcIndex => _gcIndex;

        public void Subscribe(EventPipeEventSource source)
        {
            var clr = source.Clr;
            clr.GCSuspendEEStart += e => _suspendStartMs = e.TimeStampRelativeMSec;
            clr.GCStart += OnGcStart;
            clr.GCStop += e =>
            {
                if (e.Count == _gcIndex)
                {
                    _gcEnded = true;
                }
            };
            clr.GCHeapStats += e =>
            {
                if (_gcIndex >= 0 && _heapStatsBytes == 0)
                {
                    _heapStatsBytes = e.TotalHeapSize;
                }
            };
            clr.GCRestartEEStop += e =>
            {
                if (_gcEnded && !Finished)
                {
                    _pauseMs = e.TimeStampRelativeMSec - _pauseStartMs;
                    Finished = true;
                    Done.Set();
                }
            };
            clr.TypeBulkType += OnBulkType;
            clr.GCBulkNode += OnBulkNode;
        }

        private void OnGcStart(GCStartTraceData e)
        {
            // The induced collection of the heap dump: the first full blocking one of the session.
            if (_gcIndex < 0 && e.Depth == 2 && e.Type != GCType.BackgroundGC)
            {
                _gcIndex = e.Count;
                _pauseStartMs = _suspendStartMs;
            }
        }

        private void OnBulkType(GCBulkTypeTraceData e)
        {
            for (var i = 0; i < e.Count; i++)
            {
                var value = e.Values(i);
                var parameters = value.TypeParameterCount == 0 ? [] : new ulong[value.TypeParameterCount];
                for (var p = 0; p < parameters.Length; p++)
                {
                    parameters[p] = value.TypeParameterID(p);
                }

                _types[value.TypeID] = new BulkType(value.TypeName, value.ModuleID, parameters);
            }
        }

        private void OnBulkNode(GCBulkNodeTraceData e)
        {
            for (var i = 0; i < e.Count; i++)
            {
                var node = e.Values(i);
                ref var totals = ref CollectionsMarshal.GetValueRefOrAddDefault(_totals, node.TypeID, out _);
                totals.Count++;
                totals.Bytes += (long)node.Size;
            }

            progress.AddObjects(e.Count);
        }

        public HeapSnapshot Build(int id, DateTimeOffset takenAt, HeapTypeTable table, double durationMs, long fragmented)
        {
            // Modules of the snapshot machinery (parser, client, toolbar, its core): found through types whose
            // objects are certainly alive during the walk. Every type of those modules is the toolbar's, not the app's.
            var ownModules = new HashSet<ulong>();
            foreach (var anchor in s_anchorTypes)
            {
                if (_types.TryGetValue((ulong)anchor.TypeHandle.Value, out var type))
                {
                    ownModules.Add(type.ModuleId);
                }
            }

            // A generic instantiation or array is the toolbar's when one of its type arguments (element type) is:
            // List<HeapTypeRow>, Dictionary<ulong, Totals>.Entry[]... belong to whoever owns their arguments.
            var own = new Dictionary<ulong, bool>(_types.Count);
            bool IsOwn(ulong typeId, int depth)
            {
                if (own.TryGetValue(typeId, out var known))
                {
                    return known;
                }

                if (!_types.TryGetValue(typeId, out var type))
                {
                    return table.TryGet(typeId, out _, out var earlier) && earlier;
                }

                own[typeId] = false; // guards against cycles while this type is being decided
                var result = ownModules.Contains(type.ModuleId) || IsSnapshotMachinery(type.Name);
                for (var i = 0; !result && depth < 16 && i < type.Parameters.Length; i++)
                {
                    result = IsOwn(type.Parameters[i], depth + 1);
                }

                own[typeId] = result;
                return result;
            }

            var rows = new HeapRow[_totals.Count];
            var n = 0;
            long objects = 0, bytes = 0, toolbarObjects = 0;
            foreach (var (typeId, totals) in _totals)
            {
                // The runtime names a type once per session, when first needed; ids stay valid for the process,
                // so a name an earlier session learned still applies.
                int index;
                bool toolbar;
                if (_types.TryGetValue(typeId, out var type))
                {
                    toolbar = IsOwn(typeId, 0);
                    index = table.Intern(typeId, type.Name, toolbar);
                }
                else if (!table.TryGet(typeId, out index, out toolbar))
                {
                    index = table.Intern(typeId, $"(type 0x{typeId:x})", toolbar: false);
                }

                rows[n++] = new HeapRow(index, totals.Count, totals.Bytes);
                objects += totals.Count;
                bytes += totals.Bytes;
                if (toolbar)
                {
                    toolbarObjects += totals.Count;
                }
            }

            Array.Sort(rows, static (a, b) => b.Bytes != a.Bytes ? b.Bytes.CompareTo(a.Bytes) : b.Count.CompareTo(a.Count));
            return new HeapSnapshot
            {
                Id = id,
                TakenAt = takenAt,
                DurationMs = durationMs,
                PauseMs = double.IsNaN(_pauseMs) ? 0 : _pauseMs,
                GcIndex = _gcIndex,
                ObjectCount = objects,
                TotalBytes = bytes,
                HeapStatsBytes = _heapStatsBytes,
                FragmentedBytes = fragmented,
                ToolbarObjectCount = toolbarObjects,
                Table = table,
                Rows = rows,
            };
        }

        private static readonly Type[] s_anchorTypes =
            [typeof(EventPipeEventSource), typeof(DiagnosticsClient), typeof(HeapSnapshotter), typeof(ToolbarOptions), typeof(PanelCollection)];

        private static bool IsSnapshotMachinery(string name) =>
            name.StartsWith("Microsoft.Diagnostics.Tracing.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Diagnostics.NETCore.Client.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Diagnostics.FastSerialization.", StringComparison.Ordinal)
            || name.StartsWith("FastSerialization.", StringComparison.Ordinal)
            || name.StartsWith("Toolbar.Panels.Memory.", StringComparison.Ordinal);

        /// <summary>A type as the runtime described it: name, module, and type arguments (element type of arrays).</summary>
        private readonly record struct BulkType(string Name, ulong ModuleId, ulong[] Parameters);

        private struct Totals
        {
            public long Count;
            public long Bytes;
        }
    }
}
