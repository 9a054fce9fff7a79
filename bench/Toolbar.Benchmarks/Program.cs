using BenchmarkDotNet.Running;

namespace Toolbar.Benchmarks;

/// <summary>
/// dotnet run -c Release --project bench/Toolbar.Benchmarks -- --filter '*' (or <c>-- alloc [path] [requests]</c>, see
/// <see cref="AllocationProbe"/>; <c>-- threads [path] [requests] [rounds]</c>, see <see cref="ThreadsCostProbe"/>;
/// <c>-- redis [path] [seconds] [rate]</c>, see <see cref="RedisStoreProbe"/>)
/// </summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args)
    {
        if (args is ["alloc-panels", ..])
        {
            AllocationProbe.RunPanels(args);
            return;
        }

        if (args is ["alloc", ..])
        {
            AllocationProbe.Run(args);
            return;
        }

        if (args is ["threads", ..])
        {
            ThreadsCostProbe.Run(args);
            return;
        }

        if (args is ["redis", ..])
        {
            RedisStoreProbe.Run(args);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
