using BenchmarkDotNet.Running;

// Run all suites:     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- --filter '*'
// Quick check (CI):   dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- --filter '*' --job dry
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
