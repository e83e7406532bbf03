using BenchmarkDotNet.Running;
using EfficientNet.Sharp.Benchmarks;

// Run all suites:     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- --filter '*'
// Quick look:         dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- --filter '*' --job short
// Do they still run?  dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- --filter '*Baseline*' --job dry
// Chart of a run:     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- chart BenchmarkDotNet.Artifacts/results docs/block-throughput.png
if (args.Length == 3 && args[0] == "chart")
{
    ThroughputChart.Save(args[1], args[2]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args);
