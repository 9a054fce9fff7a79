namespace Toolbar.Panels.Memory;

/// <summary>The memory panel's MCP tools: heap snapshots and their differences.</summary>
internal static class MemoryMcpTools
{
    public static IEnumerable<ToolbarMcpTool> Create(HeapSnapshotStore store)
    {
        yield return new ToolbarMcpTool(
            "take_heap_snapshot",
            "Takes a heap snapshot of the running app (every live object counted by type; pauses the app for a moment) and returns its id, "
            + "object count, total bytes and the largest types. Take one before and one after an action, then call diff_heap_snapshots.",
            ToolbarMcpTool.ObjectSchema(new ToolbarMcpArgument("top", "integer", "How many of the largest types to return (1–200, default 20).")),
            async (call, ct) =>
            {
                var top = call.GetInt("top", 20, 1, 200);
                var snapshot = await store.TryTakeAsync()
                    ?? throw new ToolbarMcpException("A heap snapshot is already being taken; try again when it has finished.");
                return Describe(snapshot, top);
            })
        {
            ChangesState = true,
        };

        yield return new ToolbarMcpTool(
            "list_heap_snapshots",
            "The heap snapshots kept in memory, newest first: id, time, object count and total bytes.",
            null,
            (_, _) => ValueTask.FromResult<object?>(new { snapshots = store.List().Reverse().Select(s => Describe(s, 0)) }));

        yield return new ToolbarMcpTool(
            "diff_heap_snapshots",
            "What grew between two heap snapshots: per type, the change in object count and bytes, largest growth first. The toolbar's own "
            + "objects are marked (toolbar=true).",
            ToolbarMcpTool.ObjectSchema(
                new ToolbarMcpArgument("a", "integer", "The earlier snapshot id.", Required: true),
                new ToolbarMcpArgument("b", "integer", "The later snapshot id.", Required: true),
                new ToolbarMcpArgument("top", "integer", "How many types to return (1–500, default 30).")),
            (call, _) =>
            {
                var a = call.GetInt("a", -1, 0);
                var b = call.GetInt("b", -1, 0);
                var top = call.GetInt("top", 30, 1, 500);
                var from = store.Find(a) ?? throw new ToolbarMcpException($"No kept snapshot has the id {a}. Call list_heap_snapshots.");
                var to = store.Find(b) ?? throw new ToolbarMcpException($"No kept snapshot has the id {b}. Call list_heap_snapshots.");
                return ValueTask.FromResult<object?>(new
                {
                    from = Describe(from, 0),
                    to = Describe(to, 0),
                    countDelta = to.ObjectCount - from.ObjectCount,
                    bytesDelta = to.TotalBytes - from.TotalBytes,
                    types = HeapSnapshotStore.Diff(from, to).Take(top).Select(t => new
                    {
                        type = t.Type,
                        countDelta = t.CountDelta,
                        bytesDelta = t.BytesDelta,
                        toolbar = t.Toolbar,
                    }),
                });
            });
    }

    private static object Describe(HeapSnapshot s, int top) => new
    {
        id = s.Id,
        takenAt = s.TakenAt,
        durationMs = Math.Round(s.DurationMs, 1),
        objectCount = s.ObjectCount,
        totalBytes = s.TotalBytes,
        types = top == 0 ? null : s.Types.Take(top).Select(t => new { type = t.Type, count = t.Count, bytes = t.Bytes, toolbar = t.Toolbar }),
    };
}
