using BenchmarkDotNet.Running;

namespace Toolbar.Benchmarks;

/// <summary>dotnet run -c Release --project bench/Toolbar.Benchmarks -- --filter '*'</summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
