using System.ComponentModel;
using System.Globalization;
using EfficientNet.Sharp.Cli.Errors;
using EfficientNet.Sharp.Cli.Limits;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Models.Families;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Planning;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Scaling;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary><c>effnet fit</c>: the largest EfficientNet (or, with <c>--model</c>, the largest scaling of any registered model) that meets a budget, measured on this machine.</summary>
internal sealed class FitCommand(IAnsiConsole console, Diagnostics diagnostics) : Command<FitCommand.Settings>
{
    /// <summary>Options of <c>effnet fit</c>.</summary>
    public sealed class Settings : CommandSettings, IUsesLibTorch
    {
        [CommandOption("--latency-ms <MS>")]
        [Description("Most milliseconds per inference call (median of the timed runs).")]
        public double? LatencyMilliseconds { get; init; }

        [CommandOption("--batch <SIZE>")]
        [Description("Images per inference call (default 1).")]
        public int Batch { get; init; } = 1;

        [CommandOption("--max-params <COUNT>")]
        [Description("Most learnable parameters (decided from the spec).")]
        public long? MaxParameters { get; init; }

        [CommandOption("--max-gmacs <BILLIONS>")]
        [Description("Most multiply-accumulates per image, in billions (decided from the spec).")]
        public double? MaxGigaMacs { get; init; }

        [CommandOption("--max-memory-mb <MIB>")]
        [Description("Most peak memory in MiB while running a batch (measured on Linux CPUs, else estimated).")]
        public double? MaxMemoryMebibytes { get; init; }

        [CommandOption("--device <DEVICE>")]
        [Description("cpu (default), cuda, or a device profile (a .json file from 'effnet profile-device'): latencies are then predicted for that device at batch 1, nothing is built or run.")]
        public string Device { get; init; } = "cpu";

        [CommandOption("--threads <COUNT>")]
        [Description("CPU threads to measure with (default: all cores).")]
        public int? Threads { get; init; }

        [CommandOption("-m|--model <MODEL>")]
        [Description("efficientnet (default: φ from B0) or a model name from 'effnet models'; then φ = 0 is that model, and width, depth or resolution scale it (compound only for efficientnet_b0 … b7).")]
        public string Model { get; init; } = "efficientnet";

        [CommandOption("--mode <MODE>")]
        [Description("compound (default for EfficientNet), width (default for other models), depth or resolution.")]
        public string? Mode { get; init; }

        [CommandOption("--compare-modes")]
        [Description("Fit compound, width-only, depth-only and resolution-only scaling to the same budget and compare.")]
        public bool CompareModes { get; init; }

        [CommandOption("--min-phi <PHI>")]
        [Description("Smallest φ searched (default -6; write --min-phi=-8).")]
        public double? MinPhiOption { get; init; }

        [CommandOption("--max-phi <PHI>")]
        [Description("Largest φ searched (default 7).")]
        public double? MaxPhiOption { get; init; }

        /// <summary>The smallest φ searched.</summary>
        public double MinPhi => MinPhiOption ?? -6;

        /// <summary>The largest φ searched.</summary>
        public double MaxPhi => MaxPhiOption ?? 7;

        [CommandOption("--resolution <PIXELS>")]
        [Description("Measure every candidate at this input size instead of the one φ gives.")]
        public int? Resolution { get; init; }

        [CommandOption("--classes <COUNT>")]
        [Description("Number of classes of the networks (default 1000).")]
        public int? Classes { get; init; }

        [CommandOption("--warmup-runs <RUNS>")]
        [Description("Least untimed runs per network (default 5).")]
        public int WarmupRuns { get; init; } = 5;

        [CommandOption("--runs <RUNS>")]
        [Description("Timed runs per network (default 10).")]
        public int Runs { get; init; } = 10;

        [CommandOption("--runtime <RUNTIME>")]
        [Description("What to time: prepared (default; the ForInference() copy), eager, onnxruntime (each candidate exported to ONNX and run by ONNX Runtime on the CPU) or onnxruntime-int8 (exported as int8, as 'export --int8' writes it).")]
        public string Runtime { get; init; } = "prepared";

        [CommandOption("--pretrained")]
        [Description("Recommend the most accurate published checkpoint (torchvision's default of every model 'effnet models' lists) that meets the budget, each measured at its own input size, instead of searching φ.")]
        public bool Pretrained { get; init; }

        [CommandOption("--tflite-candidates <FILE|FOLDER>")]
        [Description("With --pretrained: also consider this EfficientNet-Lite .tflite file (or every one in this folder), ranked by TensorFlow's published top-1 for its variant.")]
        public string? TfLiteFolder { get; init; }

        [CommandOption("--json")]
        [Description("Write the result, with every candidate, as one JSON document to stdout (schema in docs/json-output.md).")]
        public bool Json { get; init; }

        [CommandOption("--plot <FILE>")]
        [Description("Write a PNG of latency against φ, with the budget and the choice (with --pretrained: published top-1 against latency, with the Pareto front).")]
        public string? Plot { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            if (LatencyMilliseconds is null && MaxParameters is null && MaxGigaMacs is null && MaxMemoryMebibytes is null)
            {
                return ValidationResult.Error("Give a budget: --latency-ms, --max-params, --max-gmacs and/or --max-memory-mb.");
            }

            if (IsProfile && !Device.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !File.Exists(Device))
            {
                return ValidationResult.Error($"Unknown --device '{Device}': use cpu, cuda or a device profile (.json) from 'effnet profile-device'.");
            }

            if (IsProfile)
            {
                string[] measuredOnly = [.. new (bool Given, string Name)[]
                    {
                        (Batch != 1, "--batch"), (!string.Equals(Runtime, "prepared", StringComparison.OrdinalIgnoreCase), "--runtime"),
                        (WarmupRuns != 5, "--warmup-runs"), (Runs != 10, "--runs"), (MaxMemoryMebibytes is not null, "--max-memory-mb"),
                    }.Where(option => option.Given).Select(option => option.Name)];
                if (measuredOnly.Length > 0)
                {
                    return ValidationResult.Error($"A device profile predicts batch-1 latency in ONNX Runtime; {string.Join(", ", measuredOnly)} belong{(measuredOnly.Length == 1 ? "s" : "")} to measuring on this machine.");
                }
            }

            if (!IsOnnxRuntime && ParseRuntime(Runtime) is null)
            {
                return ValidationResult.Error($"Unknown --runtime '{Runtime}': use prepared, eager, onnxruntime or onnxruntime-int8.");
            }

            if (IsOnnxRuntime && Device != "cpu")
            {
                return ValidationResult.Error("--runtime onnxruntime measures on the CPU: leave out --device cuda.");
            }

            if (TfLiteFolder is not null && !Pretrained)
            {
                return ValidationResult.Error("--tflite-candidates adds candidates to --pretrained; give --pretrained too.");
            }

            // The published checkpoints have their own sizes and classes: options of the φ search do not apply to them.
            string[] searchOnly = [.. new (bool Given, string Name)[]
                {
                    (CompareModes, "--compare-modes"), (Resolution is not null, "--resolution"), (Classes is not null, "--classes"),
                    (MinPhiOption is not null, "--min-phi"), (MaxPhiOption is not null, "--max-phi"), (Mode is not null, "--mode"),
                }.Where(option => option.Given).Select(option => option.Name)];
            if (Pretrained && searchOnly.Length > 0)
            {
                return ValidationResult.Error($"--pretrained ranks the published checkpoints at their own sizes and classes; {string.Join(", ", searchOnly)} belong{(searchOnly.Length == 1 ? "s" : "")} to the φ search.");
            }

            if (Mode is not null && ParseMode(Mode) is null)
            {
                return ValidationResult.Error($"Unknown --mode '{Mode}': use compound, width, depth or resolution.");
            }

            if (!IsEfficientNetFamily)
            {
                if (ModelRegistry.Find(Model) is not { } entry)
                {
                    return ValidationResult.Error($"Unknown --model '{Model}': use efficientnet or a name that 'effnet models' lists.");
                }

                if (Pretrained)
                {
                    return ValidationResult.Error("--pretrained ranks every published checkpoint; --model belongs to the φ search.");
                }

                if (Mode is not null && !ScalingFamily.Supports(ParseMode(Mode)!.Value, entry))
                {
                    return ValidationResult.Error($"--mode {Mode} does not apply to {entry.Name}: {SupportedModes(entry)}.");
                }
            }

            // Converted to TimeSpan, multiply-accumulates and bytes: out-of-range values must not overflow.
            string? problem =
                !InRange(LatencyMilliseconds, MaxLatencyMilliseconds) ? $"--latency-ms must be a number above 0 and at most {MaxLatencyMilliseconds:N0} (an hour)"
                : MaxParameters is <= 0 ? "--max-params must be at least 1"
                : !InRange(MaxGigaMacs, MaxGigaMacsLimit) ? $"--max-gmacs must be a number above 0 and at most {MaxGigaMacsLimit:N0}"
                : !InRange(MaxMemoryMebibytes, MaxMemoryLimit) ? $"--max-memory-mb must be a number above 0 and at most {MaxMemoryLimit:N0}"
                : Batch < 1 ? "--batch must be at least 1"
                : ThreadLimit.Problem(Threads) is { } threads ? threads.TrimEnd('.')
                : WarmupRuns < 1 || Runs < 1 ? "--warmup-runs and --runs must be at least 1"
                : !double.IsFinite(MinPhi) || !double.IsFinite(MaxPhi) || MinPhi > MaxPhi ? "--min-phi and --max-phi must be finite with --min-phi ≤ --max-phi"
                : null;
            return problem is null ? ValidationResult.Success() : ValidationResult.Error(problem + ".");

            static bool InRange(double? value, double max) => value is not double v || (v > 0 && v <= max);
        }

        private const double MaxLatencyMilliseconds = 3_600_000;
        private const double MaxGigaMacsLimit = 1_000_000;
        private const double MaxMemoryLimit = 1_073_741_824;

        /// <summary>Whether <c>--device</c> names a device profile: latencies are predicted, not measured.</summary>
        internal bool IsProfile => Device is not ("cpu" or "cuda");

        /// <summary>Predictions need no libtorch; measurements on this machine do.</summary>
        public bool NeedsLibTorch => !IsProfile;

        /// <summary>Whether the search is EfficientNet's φ from B0 (no <c>--model</c>, or <c>--model efficientnet</c>).</summary>
        internal bool IsEfficientNetFamily => NetworkOptions.NamesScaledEfficientNet(Model);

        /// <summary>The modes a model can be scaled in, for messages.</summary>
        internal static string SupportedModes(RegisteredModel entry) =>
            $"it scales by {string.Join(", ", Enum.GetValues<ScalingMode>().Where(m => ScalingFamily.Supports(m, entry)).Select(ScalingModeNames.Name))}";

        /// <summary>Whether candidates are timed in ONNX Runtime (a cost model of the ONNX Runtime package, not a libtorch form).</summary>
        internal bool IsOnnxRuntime => IsOnnxRuntimeInt8 || string.Equals(Runtime, "onnxruntime", StringComparison.OrdinalIgnoreCase);

        /// <summary>Whether ONNX Runtime times int8 files.</summary>
        internal bool IsOnnxRuntimeInt8 => string.Equals(Runtime, "onnxruntime-int8", StringComparison.OrdinalIgnoreCase);

        internal static InferenceRuntime? ParseRuntime(string runtime) => runtime.ToLowerInvariant() switch
        {
            "prepared" => InferenceRuntime.Prepared,
            "eager" => InferenceRuntime.Eager,
            _ => null,
        };

        internal static ScalingMode? ParseMode(string mode) => ScalingModeNames.Parse(mode);
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ICostModel profiler = CostModel(settings);
        DeviceFit fit = Configure(DeviceFit.Using(new ReportingCostModel(settings.IsProfile ? profiler : new MemoryGuardedCostModel(profiler), diagnostics)), settings);

        // What is being done and each measurement as it completes go to stderr; stdout carries the report alone.
        diagnostics.Note(settings.IsProfile
            ? $"Fitting on {profiler.Description}: latencies are predicted from the profile; nothing is built or run."
            : $"Fitting on {profiler.Description}; each network: ≥ {settings.WarmupRuns} warm-up runs, then {settings.Runs} timed runs (median).");
        var progress = new FitProgressLine(diagnostics, settings.IsProfile ? "predicting" : "measuring");
        if (settings.Pretrained)
        {
            IEnumerable<CheckpointCandidate>? candidates = settings.TfLiteFolder is { } folder ? CatalogAndLiteFiles(folder) : null;
            PretrainedFitResult recommendation = fit.WithProgress(progress).FitPretrained(candidates, cancellationToken);
            diagnostics.EndProgress();
            if (settings.Json)
            {
                JsonOutput.Write(console, "fit", FitJson.Of(recommendation));
            }
            else
            {
                console.Write(new Text(recommendation.Report));
            }

            if (settings.Plot is { } pretrainedPlot)
            {
                PretrainedFitPlot.Save(recommendation, pretrainedPlot);
                PlotWritten(settings, pretrainedPlot);
            }

            return recommendation.Choice is null ? ExitCodes.NothingFits : ExitCodes.Success;
        }

        DeviceFit reporting = fit.WithProgress(progress);
        IReadOnlyList<FitResult> results = settings.CompareModes ? reporting.CompareModes(cancellationToken) : [reporting.Fit(cancellationToken)];
        diagnostics.EndProgress();

        // What makes the measurements doubtful goes to stderr with the measurements themselves (and into the JSON).
        foreach (string warning in results.SelectMany(r => r.TrustWarnings).Distinct())
        {
            diagnostics.Note($"warning: {warning}");
        }
        if (settings.Json)
        {
            JsonOutput.Write(console, "fit", FitJson.Of(results));
        }
        else
        {
            foreach (FitResult result in results)
            {
                FitReport.Write(console, result);
            }

            if (results.Count > 1)
            {
                FitReport.WriteComparison(console, results);
            }
        }

        if (settings.Plot is { } path)
        {
            FitPlot.Save(results, path);
            PlotWritten(settings, path);
        }

        return results.Any(r => r.Fits) ? ExitCodes.Success : ExitCodes.NothingFits;
    }

    /// <summary>Says where the plot went: after the report on stdout, or on stderr when stdout is one JSON document.</summary>
    private void PlotWritten(Settings settings, string path)
    {
        if (settings.Json)
        {
            diagnostics.Note($"Plot written to {path}.");
        }
        else
        {
            console.MarkupLineInterpolated($"Plot written to [bold]{path}[/].");
        }
    }

    /// <summary>What costs come from: a device profile's predictions, ONNX Runtime or libtorch on this machine.</summary>
    private ICostModel CostModel(Settings settings)
    {
        if (settings.IsProfile)
        {
            DeviceProfile profile = DeviceProfile.Load(settings.Device);
            if (settings.Threads is int threads && threads != profile.Device.Threads)
            {
                throw new ArgumentException($"--threads {threads}: the profile '{settings.Device}' was measured with {profile.Device.Threads} thread{(profile.Device.Threads == 1 ? "" : "s")}, and kernel times do not carry over between thread counts; measure a profile with --threads {threads} on the device.");
            }

            if (profile.Device.Precision == "int8")
            {
                diagnostics.Note("warning: int8 profiles predict roughly, from a scale per family: where validated, 12 of 21 held-out int8 networks fell within ±25 % and 3 within ±10 % (docs/device-fit.md).");
            }

            return new ProfileCostModel(profile, Path.GetFileName(settings.Device));
        }

        ComputeDevice device = settings.Device == "cuda" ? ComputeDevice.Cuda() : ComputeDevice.Cpu(settings.Threads);
        return settings.IsOnnxRuntime
            ? new OnnxRuntimeCostModel(settings.Threads ?? Environment.ProcessorCount, settings.WarmupRuns, settings.Runs) { Int8 = settings.IsOnnxRuntimeInt8 }
            : new LatencyProfiler(device, settings.WarmupRuns, settings.Runs) { Runtime = Settings.ParseRuntime(settings.Runtime)!.Value };
    }

    /// <summary>torchvision's default checkpoints, plus each EfficientNet-Lite file of the folder at its own input size.</summary>
    private List<CheckpointCandidate> CatalogAndLiteFiles(string fileOrFolder)
    {
        string[] files = File.Exists(fileOrFolder) ? [fileOrFolder]
            : Directory.Exists(fileOrFolder) ? [.. Directory.EnumerateFiles(fileOrFolder, "*.tflite").Order(StringComparer.Ordinal)]
            : throw new FileNotFoundException($"--tflite-candidates '{fileOrFolder}' is neither a .tflite file nor a folder of them.", fileOrFolder);
        List<CheckpointCandidate> candidates = [.. CheckpointCandidate.RegistryDefaults];
        foreach (string file in files)
        {
            using TfLiteModel model = TfLiteImport.Load(file);
            if (FamilyDescriptors.Of(model.Spec.Family).PublishedTop1(model.Spec) is double top1)
            {
                candidates.Add(new CheckpointCandidate(Path.GetFileName(file), model.Spec, top1));
            }
            else
            {
                diagnostics.Note($"Skipped {Path.GetFileName(file)}: {model.Spec.Name} has no published top-1 to rank it by.");
            }
        }

        return candidates;
    }

    private static DeviceFit Configure(DeviceFit fit, Settings settings)
    {
        fit = fit.WithBatchSize(settings.Batch).SearchingPhi(settings.MinPhi, settings.MaxPhi);
        if (!settings.IsEfficientNetFamily)
        {
            // φ = 0 is the model itself; its mode defaults to compound for EfficientNet-B models, width for the others.
            fit = fit.ForModel(ModelRegistry.Get(settings.Model), new ModelOverrides { NumClasses = settings.Classes });
        }

        if (settings.Mode is { } mode)
        {
            fit = fit.Scaling(Settings.ParseMode(mode)!.Value);
        }

        if (settings.LatencyMilliseconds is double latency)
        {
            fit = fit.WithinLatency(TimeSpan.FromMilliseconds(latency), settings.Batch);
        }

        if (settings.MaxParameters is long parameters)
        {
            fit = fit.WithinParameters(parameters);
        }

        if (settings.MaxGigaMacs is double gigaMacs)
        {
            fit = fit.WithinMultiplyAccumulates((long)(gigaMacs * 1e9));
        }

        if (settings.MaxMemoryMebibytes is double mebibytes)
        {
            fit = fit.WithinPeakMemory((long)(mebibytes * 1048576));
        }

        if (settings.Resolution is int pixels)
        {
            fit = fit.AtResolution(pixels);
        }

        if (settings.Classes is int classes && settings.IsEfficientNetFamily)
        {
            fit = fit.From(new EfficientNetBuilder().WithNumClasses(classes));
        }

        return fit;
    }

    /// <summary>What is being measured (or predicted, from a profile), on the progress line of a terminal's stderr.</summary>
    private sealed class FitProgressLine(Diagnostics diagnostics, string doing) : IProgress<FitProgress>
    {
        public void Report(FitProgress value) =>
            diagnostics.Progress(value.Phase == FitProgress.PretrainedPhase
                ? $"{doing} {value.NetworkName} ({value.Measured} done so far)"
                : string.Create(CultureInfo.InvariantCulture, $"{value.Family}: {doing} φ = {value.Phi:0.0} ({value.NetworkName}, {(value.Phase == "recheck" ? "once more, it decides the boundary" : value.Phase + " search")})"));
    }

    /// <summary>Writes one line per measurement to stderr as it completes.</summary>
    private sealed class ReportingCostModel(ICostModel inner, Diagnostics diagnostics) : ICostModel
    {
        public string Description => inner.Description;

        public InferenceRuntime? Runtime => inner.Runtime;

        public bool MeasuresThisMachine => inner.MeasuresThisMachine;

        public (CostMeasurement First, CostMeasurement Second) RemeasurePair(NetworkSpec first, NetworkSpec second, int batchSize, double? latencyBudgetMilliseconds, CancellationToken cancellationToken)
        {
            (CostMeasurement a, CostMeasurement b) = inner.RemeasurePair(first, second, batchSize, latencyBudgetMilliseconds, cancellationToken);
            return (Print(first, a, "  (measured again, interleaved with the next)"), Print(second, b, "  (measured again, interleaved with the previous)"));
        }

        public CostMeasurement Measure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken) =>
            Print(spec, inner.Measure(spec, batchSize, cancellationToken), "");

        public CostMeasurement Remeasure(NetworkSpec spec, int batchSize, CancellationToken cancellationToken) =>
            Print(spec, inner.Remeasure(spec, batchSize, cancellationToken), "  (measured again; the better window is kept)");

        private CostMeasurement Print(NetworkSpec spec, CostMeasurement cost, string note)
        {
            if (cost.IsPredicted)
            {
                diagnostics.Note(string.Create(CultureInfo.InvariantCulture, $"  {spec.Name,-36} {spec.Resolution,4} px  {cost.LatencyMilliseconds,8:0.00} ms predicted"));
                return cost;
            }

            string memory = cost.PeakMemoryBytes is long bytes ? SummaryTable.Bytes(bytes) : "n/a";
            diagnostics.Note(string.Create(CultureInfo.InvariantCulture, $"  {spec.Name,-36} {spec.Resolution,4} px  {cost.LatencyMilliseconds,8:0.0} ms ± {cost.LatencySpreadMilliseconds:0.0}  peak {memory}{note}"));
            return cost;
        }
    }
}
