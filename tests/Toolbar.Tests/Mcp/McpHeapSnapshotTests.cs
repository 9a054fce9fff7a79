using ModelContextProtocol.Client;
using Toolbar.Tests.Infrastructure;
using Toolbar.Tests.Panels.Memory;

namespace Toolbar.Tests.Mcp;

/// <summary>State-changing MCP tools need the same intent as the UI's buttons.</summary>
[Collection(HeapSnapshotCollection.Name)]
// A snapshot walks the whole test process: beside hundreds of other tests' apps the walk outgrows any session buffer.
[Trait("Process", "Alone")]
public sealed class McpHeapSnapshotTests
{
    [Fact]
    public async Task Take_heap_snapshot_needs_the_intent_header_then_diffs_against_itself_to_zero()
    {
        using var factory = new SampleAppFactory();
        await using (var plain = await McpConnection.ConnectAsync(factory))
        {
            var refused = await plain.CallToolAsync("take_heap_snapshot", new Dictionary<string, object?>());
            Assert.True(refused.IsError);
            Assert.Contains("X-Toolbar-Request: 1", McpClientTests.Text(refused), StringComparison.Ordinal);
        }

        await using var mcp = await McpConnection.ConnectAsync(factory, new() { ["X-Toolbar-Request"] = "1" });
        var snapshot = await McpClientTests.CallAsync(mcp, "take_heap_snapshot", new() { ["top"] = 5 });
        var id = snapshot.GetProperty("id").GetInt32();
        Assert.True(snapshot.GetProperty("objectCount").GetInt64() > 1000);
        Assert.Equal(5, snapshot.GetProperty("types").GetArrayLength());

        var list = await McpClientTests.CallAsync(mcp, "list_heap_snapshots", []);
        Assert.Contains(list.GetProperty("snapshots").EnumerateArray(), s => s.GetProperty("id").GetInt32() == id);

        var diff = await McpClientTests.CallAsync(mcp, "diff_heap_snapshots", new() { ["a"] = id, ["b"] = id });
        Assert.Equal(0, diff.GetProperty("countDelta").GetInt64());
        Assert.All(diff.GetProperty("types").EnumerateArray(), t => Assert.Equal(0, t.GetProperty("countDelta").GetInt64()));
    }
}
