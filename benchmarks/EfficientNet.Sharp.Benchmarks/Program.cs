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
// Scaling experiment: dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- scaling-experiment [--epochs 3] [--train-images 10000] [--test-images 10000] [--seed 0] [--output DIR]
//                     (compound vs width/depth/resolution-only at 2x and 4x a base's MACs, trained on Fashion-MNIST; docs/scaling-experiment.md)
// Transfer:          dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- transfer-experiment mobilenet_v1_0.5_160_quant.tflite [--train-images 5000] [--epochs 3] [--resolution 64]
// Device fit:        dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- --filter '*HeldOutNetwork*'
//                     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- device-fit-report device.json docs/device-fit-validation.md docs/device-fit.png BenchmarkDotNet.Artifacts/results [more result folders]
//                     (held-out networks timed in ONNX Runtime against a profile's predictions; docs/device-fit.md)
//                     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- device-fit-check check-folder [rounds] [--int8] [--development]
//                     (the same networks in one process, fastest of interleaved rounds: quicker, for trying a change)
//                     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- int8-channel-sweep table.md
//                     (integer and float-island convolutions on 64–96 channels: what an int8 profile's channel multiple rests on)
// Training memory:   dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- training-memory [batch]
if (args.Length is >= 3 and <= 5 && args[0] == "profile")
{
    BlockProfile.Print(Enum.Parse<ModelKind>(args[1]), int.Parse(args[2]), args.Length >= 4 ? int.Parse(args[3]) : 200, channelsLast: args.Length < 5 || args[4] != "nchw");
    return;
}

if (args.Length >= 1 && args[0] == "scaling-experiment")
{
    ScalingExperiment.Run(args[1..]);
    return;
}

if (args.Length >= 2 && args[0] == "transfer-experiment")
{
    TransferExperiment.Run(args[1], args[2..]);
    return;
}

if (args.Length is 1 or 2 && args[0] == "training-memory")
{
    TrainingMemory.Print(args.Length == 2 ? int.Parse(args[1]) : 32);
    return;
}

if (args.Length >= 2 && args[0] == "onnx-ops")
{
    OnnxOperators.Print(args[1..]);
    return;
}

if (args.Length >= 5 && args[0] == "device-fit-report")
{
    EfficientNet.Sharp.Benchmarks.DeviceFit.DeviceFitReport.Write(args[1], args[2], args[3], args[4..]);
    return;
}

if (args.Length == 2 && args[0] == "int8-channel-sweep")
{
    EfficientNet.Sharp.Benchmarks.DeviceFit.ChannelAlignmentSweep.Run(args[1]);
    return;
}

if (args.Length >= 2 && args[0] == "device-fit-check")
{
    string[] options = [.. args.Skip(2).Where(arg => arg.StartsWith("--", StringComparison.Ordinal))];
    string[] values = [.. args.Skip(2).Where(arg => !arg.StartsWith("--", StringComparison.Ordinal))];
    if (options.Except(["--int8", "--development"]).FirstOrDefault() is { } unknown)
    {
        throw new ArgumentException($"device-fit-check: unknown option '{unknown}' (use --int8, --development).");
    }

    if (values.Length > 1 || (values.Length == 1 && !(int.TryParse(values[0], System.Globalization.CultureInfo.InvariantCulture, out int parsed) && parsed >= 1)))
    {
        throw new ArgumentException($"device-fit-check: the rounds must be one whole number of at least 1, not '{string.Join(' ', values)}'.");
    }

    EfficientNet.Sharp.Benchmarks.DeviceFit.HeldOutNetworkCheck.Run(
        args[1],
        values.Length == 1 ? int.Parse(values[0], System.Globalization.CultureInfo.InvariantCulture) : 3,
        int8: options.Contains("--int8"),
        seed: options.Contains("--development") ? EfficientNet.Sharp.Benchmarks.DeviceFit.HeldOutNetworks.DevelopmentSeed : EfficientNet.Sharp.Benchmarks.DeviceFit.HeldOutNetworks.ValidationSeed);
    return;
}

if (args.Length is 3 or 4 && args[0] == "chart")
{
    ThroughputChart.Save(args[1], args[2], args.Length == 4 ? args[3] : ThroughputChart.ImagesPerSecond);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args);
