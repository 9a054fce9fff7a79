using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Toolbar.Panels.Memory;
using Xunit.Abstractions;

namespace Toolbar.Tests.Panels.Memory;

[Collection(HeapSnapshotCollection.Name)]
// A snapshot walks the whole test process: beside hundreds of other tests' apps the walk outgrows any session buffer.
[Trait("Process", "Alone")]
public class HeapSnapshotTests(HeapSnapshotFixture app, ITestOutputHelper output)
{
    private const string RetainedItem = "SampleApp.RetainedItem";

    [Fact]
    public async Task Diff_shows_exactly_the_12345_items_retained_between_snapshots()
    {
        await app.ReleaseAsync();
        var before = await app.TakeSnapshotAsync();
        await app.RetainAsync(12_345);
        var after = await app.TakeSnapshotAsync();
        await app.ReleaseAsync();

        var diff = await app.DiffAsync(before, after);

        var row = HeapSnapshotFixture.Row(diff.GetProperty("types"), RetainedItem);
        Assert.NotNull(row);
        Assert.Equal(12_345, row.Value.GetProperty("countDelta").GetInt64());
    }

    [Fact]
    public async Task Diff_shows_minus_12345_after_release()
    {
        await app.ReleaseAsync();
        await app.RetainAsync(12_345);
        var retained = await app.TakeSnapshotAsync();
        await app.ReleaseAsync();
        var released = await app.TakeSnapshotAsync();

        var diff = await app.DiffAsync(retained, released);

        var row = HeapSnapshotFixture.Row(diff.GetProperty("types"), RetainedItem);
        Assert.NotNull(row);
        Assert.Equal(-12_345, row.Value.GetProperty("countDelta").GetInt64());
        Assert.Equal(0, row.Value.GetProperty("countAfter").GetInt64());
    }

    [Fact]
    public async Task Diff_is_sorted_by_growth()
    {
        await app.ReleaseAsync();
        var before = await app.TakeSnapshotAsync();
        await app.RetainAsync(20_000);
        var after = await app.TakeSnapshotAsync();
        await app.ReleaseAsync();

        var deltas = (await app.DiffAsync(before, after)).GetProperty("types").EnumerateArray()
            .Select(t => t.GetProperty("bytesDelta").GetInt64()).ToList();

        Assert.Equal(deltas.OrderByDescending(d => d), deltas);
        Assert.True(deltas[0] > 0);
    }

    [Fact]
    public async Task Snapshot_lists_all_types_by_bytes_and_they_add_up_to_the_totals()
    {
        var snapshot = await app.TakeSnapshotAsync();

        var types = snapshot.GetProperty("types").EnumerateArray().ToList();
        var bytes = types.Select(t => t.GetProperty("bytes").GetInt64()).ToList();
        Assert.Equal(bytes.OrderByDescending(b => b), bytes);
        Assert.Equal(snapshot.GetProperty("totalBytes").GetInt64(), bytes.Sum());
        Assert.Equal(snapshot.GetProperty("objectCount").GetInt64(), types.Sum(t => t.GetProperty("count").GetInt64()));
        Assert.Equal(snapshot.GetProperty("typeCount").GetInt32(), types.Count);
    }

    [Fact]
    public async Task Snapshot_bytes_cover_the_live_heap_the_gc_reports()
    {
        var snapshot = await app.TakeSnapshotAsync();

        // Heap size after the induced collection minus its free space = bytes of live objects. The walk also
        // reports the frozen (non-GC) heap of literals, which the GC's figure leaves out: so at least that.
        var live = snapshot.GetProperty("heapStatsBytes").GetInt64() - snapshot.GetProperty("fragmentedBytes").GetInt64();
        var total = snapshot.GetProperty("totalBytes").GetInt64();
        output.WriteLine($"walked {total:N0} bytes, GC live {live:N0} bytes");
        Assert.True(total >= live, $"walked {total:N0} < live {live:N0}");
    }

    [Fact]
    public async Task Snapshot_bytes_grow_exactly_as_the_gc_live_heap_grows()
    {
        await app.ReleaseAsync();
        // The test process hosts other test apps: let what they left behind be finalized and collected, and let a
        // first snapshot's own collection settle it, so that "before" holds only what stays.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        await app.TakeSnapshotAsync();
        var before = await app.TakeSnapshotAsync();
        await app.RetainAsync(200_000);
        var after = await app.TakeSnapshotAsync();
        await app.ReleaseAsync();

        static long Live(JsonElement s) => s.GetProperty("heapStatsBytes").GetInt64() - s.GetProperty("fragmentedBytes").GetInt64();
        var walkedGrowth = after.GetProperty("totalBytes").GetInt64() - before.GetProperty("totalBytes").GetInt64();
        var liveGrowth = Live(after) - Live(before);
        output.WriteLine($"walked +{walkedGrowth:N0} bytes, GC live +{liveGrowth:N0} bytes");

        // 200,000 items of about 140 bytes: the frozen heap is the same in both, so the growths agree (within the
        // GC's own accounting of region tails); lost events would show as a large shortfall.
        // The GC's live figure moves by whole allocation-context tails, so it runs a few percent ahead of the walk.
        Assert.True(liveGrowth > 10_000_000, $"live growth {liveGrowth:N0}");
        Assert.InRange(walkedGrowth, liveGrowth * 0.90, liveGrowth * 1.05);
    }

    [Fact]
    public async Task Snapshot_list_leaves_out_the_types()
    {
        var snapshot = await app.TakeSnapshotAsync();

        var list = JsonDocument.Parse(await app.Client.GetStringAsync("/_toolbar/panels/memory/snapshots")).RootElement;

        var entry = list.EnumerateArray().First();
        Assert.Equal(snapshot.GetProperty("id").GetInt32(), entry.GetProperty("id").GetInt32());
        Assert.False(entry.TryGetProperty("types", out _));
        Assert.Equal(snapshot.GetProperty("objectCount").GetInt64(), entry.GetProperty("objectCount").GetInt64());
    }

    [Fact]
    public async Task Second_snapshot_while_one_runs_gets_409()
    {
        // Enough objects that the first snapshot runs for a while.
        await app.RetainAsync(300_000);
        try
        {
            var first = app.PostSnapshotAsync();
            SpinWait.SpinUntil(() => app.Store.Running is not null || first.IsCompleted, TimeSpan.FromSeconds(10));
            var second = await app.PostSnapshotAsync();
            var firstResponse = await first;

            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        }
        finally
        {
            await app.ReleaseAsync();
        }
    }

    [Fact]
    public async Task Snapshot_of_a_million_objects_completes_with_exact_marker_count()
    {
        // 500,000 items with a byte array each: one million objects beside the app's own.
        await app.ReleaseAsync();
        await app.RetainAsync(500_000);
        try
        {
            var snapshot = await app.TakeSnapshotAsync();

            var count = snapshot.GetProperty("objectCount").GetInt64();
            output.WriteLine($"objects {count:N0}, bytes {snapshot.GetProperty("totalBytes").GetInt64():N0}, "
                + $"duration {snapshot.GetProperty("durationMs").GetDouble()} ms, pause {snapshot.GetProperty("pauseMs").GetDouble()} ms");
            Assert.True(count >= 1_000_000, $"{count} objects");
            Assert.Equal(500_000, HeapSnapshotFixture.Row(snapshot.GetProperty("types"), RetainedItem)!.Value.GetProperty("count").GetInt64());
        }
        finally
        {
            await app.ReleaseAsync();
        }
    }

    [Fact]
    public async Task Snapshot_fails_rather_than_report_a_partial_heap_when_events_are_lost()
    {
        // A 1 MB session buffer cannot hold the walk of 600,000 objects: the runtime drops events silently.
        await app.RetainAsync(300_000);
        try
        {
            var snapshotter = new HeapSnapshotter { BufferSizeMB = 1 };

            var error = Assert.Throws<HeapSnapshotException>(() => snapshotter.Take(1, new HeapSnapshotProgress(DateTimeOffset.UtcNow), new HeapTypeTable()));

            output.WriteLine(error.Message);
            Assert.Contains("lost", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await app.ReleaseAsync();
        }
    }

    [Fact]
    public async Task Deleted_snapshot_is_released()
    {
        var snapshot = await app.TakeSnapshotAsync();
        var id = snapshot.GetProperty("id").GetInt32();
        var weak = WeakRefTo(id);

        var response = await app.DeleteAsync(id);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(weak.IsAlive);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync($"/_toolbar/panels/memory/snapshots/{id}")).StatusCode);
    }

    [Fact]
    public async Task Only_the_last_five_snapshots_are_kept_and_older_ones_are_released()
    {
        var first = (await app.TakeSnapshotAsync()).GetProperty("id").GetInt32();
        var weak = WeakRefTo(first);
        for (var i = 0; i < 5; i++)
        {
            await app.TakeSnapshotAsync();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.Equal(5, app.Store.List().Count);
        Assert.DoesNotContain(app.Store.List(), s => s.Id == first);
        Assert.False(weak.IsAlive);
    }

    [Fact]
    public async Task Diff_of_two_snapshots_with_nothing_between_leaves_the_toolbars_own_objects_out()
    {
        await app.ReleaseAsync();
        ClearStore();

        // Taken through the store, and only ids kept: the test itself then holds nothing between the two walks.
        // A first walk warms up what any first run of this code loads (reflection caches, JIT-time strings).
        await TakeIdAsync();
        var a = await TakeIdAsync();
        var b = await TakeIdAsync();

        var diff = await app.Client.GetStringAsync($"/_toolbar/panels/memory/snapshots/{a}/diff/{b}");
        var withToolbar = await app.Client.GetStringAsync($"/_toolbar/panels/memory/snapshots/{a}/diff/{b}?includeToolbar=true");

        var rows = JsonDocument.Parse(diff).RootElement.GetProperty("types").EnumerateArray().ToList();
        var all = JsonDocument.Parse(withToolbar).RootElement.GetProperty("types").EnumerateArray().ToList();
        var ownRows = all.Where(t => t.GetProperty("toolbar").GetBoolean()).ToList();
        foreach (var row in rows.Take(10))
        {
            output.WriteLine($"app:     {row.GetProperty("bytesDelta").GetInt64(),10:N0} {row.GetProperty("countDelta").GetInt64(),7:N0} {row.GetProperty("type").GetString()}");
        }

        foreach (var row in ownRows.Take(10))
        {
            output.WriteLine($"toolbar: {row.GetProperty("bytesDelta").GetInt64(),10:N0} {row.GetProperty("countDelta").GetInt64(),7:N0} {row.GetProperty("type").GetString()}");
        }

        // Growth only: objects other tests of this process left to the collector may be freed in between.
        var appGrowth = rows.Sum(t => Math.Max(0, t.GetProperty("bytesDelta").GetInt64()));
        var ownGrowth = ownRows.Sum(t => t.GetProperty("bytesDelta").GetInt64());
        output.WriteLine($"app rows {appGrowth:N0} bytes, toolbar rows {ownGrowth:N0} bytes");

        // Snapshot A is kept while B is taken: its rows and its object grow the heap, and both are the toolbar's.
        Assert.All(rows, t => Assert.False(t.GetProperty("toolbar").GetBoolean()));
        Assert.DoesNotContain(rows, t => t.GetProperty("type").GetString()!.Contains("Toolbar.", StringComparison.Ordinal));
        Assert.Contains(ownRows, t => t.GetProperty("type").GetString() == "Toolbar.Panels.Memory.HeapRow[]" && t.GetProperty("countDelta").GetInt64() == 1);
        Assert.Contains(ownRows, t => t.GetProperty("type").GetString() == "Toolbar.Panels.Memory.HeapSnapshot" && t.GetProperty("countDelta").GetInt64() == 1);
        Assert.Equal(rows.Count + ownRows.Count, all.Count);
        Assert.True(appGrowth < 64 * 1024, $"app rows grew by {appGrowth:N0} bytes with nothing happening");
    }

    [Fact]
    public async Task Diff_with_a_bad_includeToolbar_is_400()
    {
        var a = (await app.TakeSnapshotAsync()).GetProperty("id").GetInt32();

        var response = await app.Client.GetAsync($"/_toolbar/panels/memory/snapshots/{a}/diff/{a}?includeToolbar=maybe");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_kept_snapshot_retains_about_24_bytes_a_type()
    {
        await app.ReleaseAsync();
        ClearStore();
        await TakeIdAsync();
        var second = await TakeIdAsync();
        var third = await TakeIdAsync();

        // From the second to the third walk the only new thing kept is the second snapshot itself (the type
        // table already knows the types): the whole heap's growth is what one kept snapshot costs.
        var diff = JsonDocument.Parse(await app.Client.GetStringAsync($"/_toolbar/panels/memory/snapshots/{second}/diff/{third}")).RootElement;
        var growth = diff.GetProperty("bytesDelta").GetInt64();
        var types = app.Store.Find(second)!.Rows.Length;
        output.WriteLine($"one kept snapshot of {types:N0} types: heap +{growth:N0} bytes ({(double)growth / types:0.0} bytes a type)");
        // 24 bytes a row, plus what the type table learns and the runtime's own noise between two walks.
        Assert.True(growth < (types * 24) + (128 * 1024), $"+{growth:N0} bytes for {types:N0} types");
    }

    private void ClearStore()
    {
        foreach (var snapshot in app.Store.List())
        {
            app.Store.Delete(snapshot.Id);
        }
    }

    private async Task<int> TakeIdAsync() => (await app.Store.TryTakeAsync())!.Id;

    [Fact]
    public async Task Diff_of_an_unknown_snapshot_is_404()
    {
        var snapshot = await app.TakeSnapshotAsync();

        var response = await app.Client.GetAsync($"/_toolbar/panels/memory/snapshots/{snapshot.GetProperty("id").GetInt32()}/diff/999999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Snapshot_without_the_toolbar_header_is_refused()
    {
        var response = await app.Client.PostAsync("/_toolbar/panels/memory/snapshots", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    // Not inlined, so no local of this frame keeps the snapshot reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference WeakRefTo(int id) => new(app.Store.Find(id) ?? throw new InvalidOperationException($"snapshot {id} not stored"));
}
