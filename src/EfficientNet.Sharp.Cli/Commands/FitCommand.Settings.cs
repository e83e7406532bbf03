using System.ComponentModel;
using EfficientNet.Sharp.Cli.Errors;
using EfficientNet.Sharp.Cli.Limits;
using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Planning;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

// The options of effnet fit and how their words parse.
internal sealed partial class FitCommand
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
}
