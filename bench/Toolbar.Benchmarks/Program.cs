using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Toolbar.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Toolbar.Benchmarks.PageMaker).Assembly).Run(args);
