using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;
using Xunit.Abstractions;

namespace Toolbar.Tests.Panels.Memory;

/// <summary>Checks the snapshot against an independent walk of the same process's heap, from a dump read with ClrMD.</summary>
[Collection(HeapSnapshotCollection.Name)]
// A snapshot walks the whole test process: beside hundreds of other tests' apps the walk outgrows any session buffer.
[Trait("Process", "Alone")]
public class ClrMdAgreementTests(HeapSnapshotFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task Top_20_types_agree_with_a_clrmd_walk_of_a_dump()
    {
        await app.ReleaseAsync();
        await app.RetainAsync(12_345);
        var path = Path.Combine(Path.GetTempPath(), $"toolbar-memory-{Guid.NewGuid():N}.dmp");
        try
        {
            // A first snapshot loads the parser and names every type, so the compared one adds almost nothing.
            await app.TakeSnapshotAsync();
            var snapshot = await app.TakeSnapshotAsync();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            new DiagnosticsClient(Environment.ProcessId).WriteDump(DumpType.WithHeap, path, logDumpGeneration: false);

            var dumped = CountByTypeId(path);

            var top = snapshot.GetProperty("types").EnumerateArray()
                .Where(t => !t.GetProperty("toolbar").GetBoolean())
                .OrderByDescending(t => t.GetProperty("count").GetInt64())
                .Take(20)
                .ToList();
            var failures = new List<string>();
            foreach (var type in top)
            {
                var name = type.GetProperty("type").GetString();
                var count = type.GetProperty("count").GetInt64();
                var id = Convert.ToUInt64(type.GetProperty("typeId").GetString()![2..], 16);
                dumped.TryGetValue(id, out var other);
                // Objects allocated or freed between the snapshot and the dump (a few JSON strings, arrays).
                var allowance = Math.Max(50, count / 50);
                output.WriteLine($"{name}: snapshot {count:N0}, dump {other:N0}");
                if (Math.Abs(count - other) > allowance)
                {
                    failures.Add($"{name}: snapshot {count}, dump {other}");
                }
            }

            Assert.Empty(failures);
            var marker = HeapSnapshotFixture.Row(snapshot.GetProperty("types"), "SampleApp.RetainedItem")!.Value;
            Assert.Equal(12_345, dumped[Convert.ToUInt64(marker.GetProperty("typeId").GetString()![2..], 16)]);
        }
        finally
        {
            await app.ReleaseAsync();
            File.Delete(path);
        }
    }

    private static Dictionary<ulong, long> CountByTypeId(string dumpPath)
    {
        using var target = DataTarget.LoadDump(dumpPath);
        var dac = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libmscordaccore.so");
        using var runtime = target.ClrVersions[0].CreateRuntime(dac, ignoreMismatch: true);
        var counts = new Dictionary<ulong, long>();
        foreach (var obj in runtime.Heap.EnumerateObjects())
        {
            if (!obj.IsValid || obj.IsFree || obj.Type is null)
            {
                continue;
            }

            counts[obj.Type.MethodTable] = counts.GetValueOrDefault(obj.Type.MethodTable) + 1;
        }

        return counts;
    }
}
