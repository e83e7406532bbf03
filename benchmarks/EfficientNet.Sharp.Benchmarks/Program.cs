using System.Globalization;
using BenchmarkDotNet.Running;
using EfficientNet.Sharp.Benchmarks;
using EfficientNet.Sharp.Benchmarks.DeviceFit;
using EfficientNet.Sharp.OnnxRuntime;

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
//                     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- device-fit-check check-folder [rounds, default the calibration windows: 4] [--int8] [--development | --outside | --seed N] [--separate-processes] [--threads N]
//                     (the same networks, fastest of interleaved rounds, in one process or each timing in its own (time-network NETWORK [--int8] [--threads N]),
//                     on 2 threads unless --threads says otherwise: pair it with a profile of the same count)
//                     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- outside-kernels device.json table.md
//                     (the kernels of the networks outside the design range that lie outside the profile's grid: predicted alone against timed alone)
//                     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- network-over-kernels table.md [device.json] [--threads N]
//                     (networks on small maps against the sum of their kernels timed alone, in the same minutes; with a profile, against its predictions too)
//                     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- calibration-windows table.csv [cycles] [--threads N]
//                     (the float calibration networks timed in windows of 150 ms and of a second, in this process and each in its own)
//                     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- time-sessions NETWORK SESSIONS [--threads N] [--config key=value …]
//                     (one network in several ONNX Runtime sessions of one process, each session's median: are sessions of two speeds?)
//                     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- int8-channel-sweep table.md [--threads N]
//                     (integer and float-island convolutions on 64–96 channels: what an int8 profile's channel multiple rests on)
//                     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- float-channel-sweep table.md [--threads N]
//                     (float convolutions on 64–96 channels: the blocks a float profile's blocked layout pads counts up to)
//                     dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- pointwise-layout-sweep table.md [--threads N]
//                     (float pointwise convolutions blocked and plain at 2 × 2 to 28 × 28: what a float profile's plain variant rests on)
// Training memory:   dotnet run -c Release --project benchmarks/EfficientNet.Sharp.Benchmarks -- training-memory [batch]
// The project's own commands: name, the arguments after it (least, most), usage, and what runs. A command given the
// wrong arguments, a value that does not parse, a file that cannot be read or a time-network child that fails or hangs
// says so on stderr and exits with 2 (the arguments) or 1 (the files and children), rather than falling through to
// BenchmarkDotNet or dying with a stack trace.
var commands = new (string Name, int Least, int Most, string Usage, Action<string[]> Run)[]
{
    ("profile", 2, 4, "profile MODEL BATCH [rounds] [nchw]", a => BlockProfile.Print(Enum.Parse<ModelKind>(a[0]), Whole(a[1]), a.Length >= 3 ? Whole(a[2]) : 200, channelsLast: a.Length < 4 || a[3] != "nchw")),
    ("scaling-experiment", 0, int.MaxValue, "scaling-experiment [--epochs N] [--train-images N] [--test-images N] [--seed N] [--output DIR]", ScalingExperiment.Run),
    ("transfer-experiment", 1, int.MaxValue, "transfer-experiment FILE.tflite [--train-images N] [--epochs N] [--resolution R]", a => TransferExperiment.Run(a[0], a[1..])),
    ("training-memory", 0, 1, "training-memory [batch]", a => TrainingMemory.Print(a.Length == 1 ? Whole(a[0]) : 32)),
    ("onnx-ops", 1, int.MaxValue, "onnx-ops A.onnx [B.onnx …]", OnnxOperators.Print),
    ("device-fit-report", 4, int.MaxValue, "device-fit-report PROFILE.json TABLE.md PLOT.png RESULTS-FOLDER [more folders]", a => DeviceFitReport.Write(a[0], a[1], a[2], a[3..])),
    ("int8-channel-sweep", 1, 3, "int8-channel-sweep TABLE.md [--threads N]", a => ChannelAlignmentSweep.Run(a[0], TableThreads(a), int8: true)),
    ("float-channel-sweep", 1, 3, "float-channel-sweep TABLE.md [--threads N]", a => ChannelAlignmentSweep.Run(a[0], TableThreads(a), int8: false)),
    ("pointwise-layout-sweep", 1, 3, "pointwise-layout-sweep TABLE.md [--threads N]", a => PointwiseLayoutSweep.Run(a[0], TableThreads(a))),
    ("outside-kernels", 2, 2, "outside-kernels PROFILE.json TABLE.md", a => OutsideKernels.Run(a[0], a[1])),
    ("network-over-kernels", 1, 4, "network-over-kernels TABLE.md [PROFILE.json] [--threads N]", NetworkOverKernelSums),
    ("device-fit-check", 1, 10, "device-fit-check FOLDER [rounds] [--int8] [--development | --outside | --seed N] [--separate-processes] [--threads N]", DeviceFitCheck),
    ("time-network", 1, 5, "time-network NETWORK [--int8] [--short-window] [--threads N]", TimeNetwork),
    ("calibration-windows", 1, 4, "calibration-windows TABLE.csv [cycles] [--threads N]", CalibrationWindows),
    ("time-sessions", 2, int.MaxValue, "time-sessions NETWORK SESSIONS [--threads N] [--config key=value …]", TimeSessions),
    ("chart", 2, 3, "chart RESULTS-FOLDER IMAGE.png [\"GMAC/s\"]", a => ThroughputChart.Save(a[0], a[1], a.Length == 3 ? a[2] : ThroughputChart.ImagesPerSecond)),
};

if (args.Length >= 1 && commands.FirstOrDefault(command => command.Name == args[0]) is { Name: not null } chosen)
{
    string[] rest = args[1..];
    try
    {
        if (rest.Length < chosen.Least || rest.Length > chosen.Most)
        {
            throw new ArgumentException($"{rest.Length} arguments after the command.");
        }

        chosen.Run(rest);
        return 0;
    }
    catch (Exception error) when (error is ArgumentException or FormatException or OverflowException or KeyNotFoundException)
    {
        Console.Error.WriteLine($"{chosen.Name}: {error.Message} Usage: {chosen.Usage}");
        return 2;
    }
    catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException or TimeoutException)
    {
        Console.Error.WriteLine($"{chosen.Name}: {error.Message}");
        return 1;
    }
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args);
return 0;

static int Whole(string text) =>
    int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 1
        ? value
        : throw new ArgumentException($"'{text}' is not a whole number of at least 1.");

static void DeviceFitCheck(string[] a)
{
    // --seed N draws a set of its own (as the validation set is drawn) for a check no choice was made on.
    int seedAt = Array.IndexOf(a, "--seed");
    int? seed = seedAt > 0 && seedAt + 1 < a.Length ? Whole(a[seedAt + 1]) : seedAt > 0 ? throw new ArgumentException("--seed takes a number.") : null;
    a = seedAt > 0 ? [.. a[..seedAt], .. a[(seedAt + 2)..]] : a;
    (string[] options, string[] values, int threads) = CheckArguments(a[1..], ["--int8", "--development", "--outside", "--separate-processes"]);
    if (seed is not null && (options.Contains("--development") || options.Contains("--outside")))
    {
        throw new ArgumentException("--seed, --development or --outside: each is a set of networks.");
    }

    if (options.Contains("--development") && options.Contains("--outside"))
    {
        throw new ArgumentException("--development or --outside, not both: each is a set of networks.");
    }

    if (values.Length > 1)
    {
        throw new ArgumentException($"one number of rounds, not '{string.Join(' ', values)}'.");
    }

    HeldOutNetworkCheck.Run(
        a[0],
        // Rounds as many as a profile's calibration windows by default: each network's fastest round is then the statistic its profiled time is.
        values.Length == 1 ? Whole(values[0]) : DeviceProfiler.CalibrationWindowCount,
        int8: options.Contains("--int8"),
        heldOut: options.Contains("--outside") ? HeldOutNetworks.Outside()
            : HeldOutNetworks.Names(seed ?? (options.Contains("--development") ? HeldOutNetworks.DevelopmentSeed : HeldOutNetworks.ValidationSeed)),
        separateProcesses: options.Contains("--separate-processes"),
        threads: threads);
}

static void TimeSessions(string[] a)
{
    // --config takes the entry after it; the rest is read as the other commands' arguments.
    var entries = new List<string>();
    var rest = new List<string>();
    for (int i = 2; i < a.Length; i++)
    {
        if (a[i] == "--config")
        {
            entries.Add(i + 1 < a.Length ? a[++i] : throw new ArgumentException("--config needs key=value."));
        }
        else
        {
            rest.Add(a[i]);
        }
    }

    (_, string[] values, int threads) = CheckArguments([.. rest], []);
    if (values.Length > 0)
    {
        throw new ArgumentException($"a network and a session count, then options, not also '{string.Join(' ', values)}'.");
    }

    HeldOutNetworkCheck.TimeSessions(a[0], Whole(a[1]), threads, entries);
}

// A command of one table and --threads N: the thread count; anything else after the table is refused.
static int TableThreads(string[] a) => TableArguments(a, optional: null).Threads;

// A command of one table, then at most one value named by optional (none where it is null), and --threads N.
static (string? Value, int Threads) TableArguments(string[] a, string? optional)
{
    (_, string[] values, int threads) = CheckArguments(a[1..], []);
    if (values.Length > (optional is null ? 0 : 1))
    {
        throw new ArgumentException($"one table{(optional is null ? "" : $" and at most one {optional}")}, then options, not '{string.Join(' ', values)}'.");
    }

    return (values.Length == 1 ? values[0] : null, threads);
}

static void NetworkOverKernelSums(string[] a)
{
    (string? profile, int threads) = TableArguments(a, optional: "profile");
    NetworkOverKernels.Run(a[0], threads, profile);
}

static void CalibrationWindows(string[] a)
{
    (_, string[] values, int threads) = CheckArguments(a[1..], []);
    if (values.Length > 1)
    {
        throw new ArgumentException($"one number of cycles, not '{string.Join(' ', values)}'.");
    }

    CalibrationWindowComparison.Run(a[0], values.Length == 1 ? Whole(values[0]) : 3, threads);
}

static void TimeNetwork(string[] a)
{
    (string[] options, string[] values, int threads) = CheckArguments(a[1..], ["--int8", "--short-window"]);
    if (values.Length > 0)
    {
        throw new ArgumentException($"one network, then options, not '{string.Join(' ', values)}'.");
    }

    HeldOutNetworkCheck.TimeOne(a[0], options.Contains("--int8"), threads, shortWindow: options.Contains("--short-window"));
}

// The flags given (each one of those allowed), the other values, and --threads N (2, the benchmarks' count, if absent).
static (string[] Options, string[] Values, int Threads) CheckArguments(string[] arguments, string[] allowed)
{
    var options = new List<string>();
    var values = new List<string>();
    int threads = BenchmarkConfig.Threads;
    for (int i = 0; i < arguments.Length; i++)
    {
        if (arguments[i] == "--threads")
        {
            threads = i + 1 < arguments.Length ? Whole(arguments[++i]) : throw new ArgumentException("--threads needs a count.");
        }
        else if (arguments[i].StartsWith("--", StringComparison.Ordinal))
        {
            options.Add(allowed.Contains(arguments[i]) ? arguments[i] : throw new ArgumentException($"unknown option '{arguments[i]}' (use {string.Join(", ", [.. allowed, "--threads N"])})."));
        }
        else
        {
            values.Add(arguments[i]);
        }
    }

    return ([.. options], [.. values], threads);
}
