using BenchmarkDotNet.Running;
using EfficientNet.Sharp.Benchmarks;

// Run all suites:     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- --filter '*'
// Quick look:         dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- --filter '*' --job short
// Do they still run?  dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- --filter '*Baseline*' --job dry
// Charts of a run:    dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- chart BenchmarkDotNet.Artifacts/results docs/block-throughput.png
//                     (add "GMAC/s" as a fourth argument for the multiply-accumulate rate instead of images/s)
// Operator mix:      dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- onnx-ops a.onnx b.onnx
// Block profile:     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- profile B0 1 [rounds] [nchw]
//                     (ForInference() against ONNX Runtime block by block; $PROFILE_THREADS overrides the 2 threads)
if (args.Length is >= 3 and <= 5 && args[0] == "profile")
{
    BlockProfile.Print(Enum.Parse<ModelKind>(args[1]), int.Parse(args[2]), args.Length >= 4 ? int.Parse(args[3]) : 200, channelsLast: args.Length < 5 || args[4] != "nchw");
    return;
}

if (args.Length >= 2 && args[0] == "onnx-ops")
{
    OnnxOperators.Print(args[1..]);
    return;
}

if (args.Length is 3 or 4 && args[0] == "chart")
{
    ThroughputChart.Save(args[1], args[2], args.Length == 4 ? args[3] : ThroughputChart.ImagesPerSecond);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args);
