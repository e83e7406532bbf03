using System.ComponentModel;
using EfficientNet.Sharp.Cli.Errors;
using EfficientNet.Sharp.Cli.Limits;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Int8;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.Weights;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// <c>effnet export</c>: writes a network (built from options, with weights, or imported from TFLite) as an
/// ONNX file with its preprocessing and class names, then runs the file in ONNX Runtime and compares it with
/// TorchSharp.
/// </summary>
internal sealed class ExportCommand(IAnsiConsole console, Diagnostics diagnostics) : Command<ExportCommand.Settings>
{
    /// <summary>Options of <c>effnet export</c>.</summary>
    public sealed class Settings : NetworkOptions, IUsesLibTorch, IDatasetOptions
    {
        [CommandOption("-o|--output <FILE>")]
        [Description("The .onnx file to write: created, or replaced if it is a regular file; written whole or not at all.")]
        public string Output { get; init; } = "";

        [CommandOption("--triton <DIR>")]
        [Description("Write a Triton Inference Server (or KServe) model repository instead: DIR/NAME/config.pbtxt, DIR/NAME/labels.txt and DIR/NAME/1/model.onnx.")]
        public string? Triton { get; init; }

        [CommandOption("--name <NAME>")]
        [Description("With --triton: the model's name in the repository (default: the network's name).")]
        public string? Name { get; init; }

        [CommandOption("--weights <FILE|NAME>")]
        [Description("Load these weights (a checkpoint of 'effnet train', which records its network, preprocessing and class names; a PyTorch, safetensors or TorchSharp file in torchvision, timm or lukemelas names, whose class count and names are the file's), or a catalog name ('effnet weights list', with its own architecture, preprocessing and labels).")]
        public string? Weights { get; init; }

        [CommandOption("--new-classifier")]
        [Description("With --weights and --classes: start a new, untrained classifier for --classes instead of refusing a file with another class count.")]
        public bool NewClassifier { get; init; }

        [CommandOption("--pretrained")]
        [Description("Load the published checkpoint of this architecture (from the cache, or downloaded).")]
        public bool Pretrained { get; init; }

        [CommandOption("--tflite <FILE>")]
        [Description("Export this TensorFlow Lite classifier instead (network options do not apply).")]
        public string? TfLite { get; init; }

        [CommandOption("--opset <VERSION>")]
        [Description("ONNX opset, 13 to 21 (default 17).")]
        public int Opset { get; init; } = 17;

        [CommandOption("--dynamic-size")]
        [Description("Symbolic height and width: the file runs at any image size (TF 'SAME' padding as auto_pad SAME_UPPER).")]
        public bool DynamicSize { get; init; }

        [CommandOption("--softmax")]
        [Description("Output probabilities instead of logits.")]
        public bool Softmax { get; init; }

        [CommandOption("--int8")]
        [Description("Write an int8 (QDQ) file: a quantized --tflite file keeps its own scales; any other network is calibrated on --data or --fashion-mnist images.")]
        public bool Int8 { get; init; }

        [CommandOption("--data <DIR>")]
        [Description("With --int8: calibration images (from train/ when there is one). " + DatasetLoader.DataDescription)]
        public string? Data { get; init; }

        [CommandOption("--fashion-mnist [DIR]")]
        [Description("With --int8: calibrate on Fashion-MNIST's training images. " + DatasetLoader.FashionMnistDescription)]
        public FlagValue<string>? FashionMnist { get; init; }

        [CommandOption("--calibration-images <COUNT>")]
        [Description("With --int8: images to calibrate on (default 300); up to 200 more are held out to compare the int8 file with the float one.")]
        public int CalibrationImages { get; init; } = Int8Calibration.DefaultImageCount;

        [CommandOption("--calibration <METHOD>")]
        [Description("With --int8: how activation ranges are chosen: percentile (default; 99.99 %), minmax or entropy.")]
        public string Calibration { get; init; } = "percentile";

        [CommandOption("--int8-weights <FORMAT>")]
        [Description("With --int8: how weights are stored: reduced (default; 7-bit int8, exact and fast on every x64 CPU), full (8-bit int8: exact and fast with VNNI or on ARM) or unsigned (8-bit uint8: exact everywhere, slower).")]
        public string Int8Weights { get; init; } = "reduced";

        [CommandOption("--full-int8")]
        [Description("With --int8: quantize SiLU and hard-swish outputs too (by default they stay float, as int8 hurts them).")]
        public bool FullInt8 { get; init; }

        [CommandOption("--max-agreement-drop <PERCENT>")]
        [Description("With --int8: refuse (exit 6, nothing written) a file whose top-1 agreement with the float file on held-out images is more than PERCENT points below 100.")]
        public double? MaxAgreementDrop { get; init; }

        /// <summary>Whether images were given to calibrate on.</summary>
        public bool HasCalibrationImages => Data is not null || FashionMnist is { IsSet: true };

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Output) == (Triton is null))
            {
                return ValidationResult.Error("Give one of --output model.onnx or --triton REPOSITORY.");
            }

            if (Name is not null && Triton is null)
            {
                return ValidationResult.Error("--name names the model in a --triton repository; give --triton DIR too.");
            }

            if ((Weights is null ? 0 : 1) + (Pretrained ? 1 : 0) + (TfLite is null ? 0 : 1) > 1)
            {
                return ValidationResult.Error("Give at most one of --weights FILE, --pretrained or --tflite FILE.");
            }

            if (NewClassifier && (Weights is null || Classes is null))
            {
                return ValidationResult.Error("--new-classifier replaces the classifier of --weights FILE with one for --classes N; give both.");
            }

            if (!Int8 && (HasCalibrationImages || FullInt8 || MaxAgreementDrop is not null))
            {
                return ValidationResult.Error("--data, --fashion-mnist, --full-int8 and --max-agreement-drop calibrate an --int8 export; give --int8 too.");
            }

            if (Data is not null && FashionMnist is { IsSet: true })
            {
                return ValidationResult.Error("Give one of --data DIR or --fashion-mnist [DIR].");
            }

            if (Int8 && Triton is not null)
            {
                return ValidationResult.Error("--int8 writes an ONNX file; give --output, not --triton.");
            }

            if (CalibrationImages < 1)
            {
                return ValidationResult.Error("--calibration-images must be at least 1.");
            }

            if (WeightFormatOf(Int8Weights) is null)
            {
                return ValidationResult.Error($"--int8-weights must be reduced, full or unsigned (got '{Int8Weights}').");
            }

            if (CalibrationMethodOf(Calibration) is null)
            {
                return ValidationResult.Error($"--calibration must be percentile, minmax or entropy (got '{Calibration}').");
            }

            if (MaxAgreementDrop is double drop && (double.IsNaN(drop) || drop is < 0 or > 100))
            {
                return ValidationResult.Error("--max-agreement-drop is a percentage from 0 to 100.");
            }

            if (Opset is < OnnxExportOptions.MinOpset or > OnnxExportOptions.MaxOpset)
            {
                return ValidationResult.Error($"--opset must be {OnnxExportOptions.MinOpset} to {OnnxExportOptions.MaxOpset}.");
            }

            return base.Validate();
        }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Refused before anything is read or built: an output that is not a regular file, or that is an input.
        if (settings.Triton is null)
        {
            OutputPath.CheckReplaceable(Path.GetFullPath(settings.Output));
            OutputPath.CheckNotAnInput(settings.Output, settings.Weights, settings.TfLite);
        }

        using WeightedNetwork source = Load(settings, cancellationToken);
        if (settings.Triton is null)
        {
            OutputPath.CheckNotAnInput(settings.Output, source.WeightsPath);
        }

        if (source.Report is { } loaded)
        {
            diagnostics.Note(loaded.Summary);
        }

        NetworkSpec spec = source.Network.Spec;
        var options = new OnnxExportOptions
        {
            Opset = settings.Opset,
            DynamicImageSize = settings.DynamicSize,
            IncludeSoftmax = settings.Softmax,
            OutputName = spec.Classifier.IsHeadless ? "features" : "logits",
            Transform = source.Transform,
            Labels = spec.Classifier.IsHeadless ? null : source.Labels,
        };
        cancellationToken.ThrowIfCancellationRequested();
        if (settings.Int8)
        {
            return ExportInt8(settings, source, options, cancellationToken);
        }

        OnnxExportReport report;
        if (settings.Triton is { } repository)
        {
            (string folder, report) = source.Network.ExportTriton(repository, settings.Name, options, cancellationToken: cancellationToken);
            console.WriteLine($"Wrote the Triton model {folder}: config.pbtxt, {(options.Labels is null ? "" : "labels.txt, ")}1/{TritonExport.ModelFileName}.");
        }
        else
        {
            report = source.Network.ExportOnnx(settings.Output, options, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        ExportCheck check = ExportCheck.Run(source.Network, report.Path!, settings.Softmax);

        PrintWritten(report, source, options);
        console.WriteLine($"  {check}");
        check.ThrowIfFailed();
        return ExitCodes.Success;
    }

    /// <summary>
    /// <c>--int8</c>: a fully quantized TFLite file with its own scales (unless calibration images are given), otherwise a
    /// calibrated export; prints what it wrote and how closely it follows the float file.
    /// </summary>
    private int ExportInt8(Settings settings, WeightedNetwork source, OnnxExportOptions options, CancellationToken cancellationToken)
    {
        if (source.TfLite is { IsFullyQuantized: true } quantized && !settings.HasCalibrationImages)
        {
            OnnxExportReport own = quantized.ExportInt8Onnx(settings.Output, options, cancellationToken);
            PrintWritten(own, source, options);
            console.WriteLine($"  {own.Quantization}");
            return ExitCodes.Success;
        }

        if (!settings.HasCalibrationImages)
        {
            throw new ArgumentException(source.TfLite is { } file
                ? $"'{file.Source}' is not fully 8-bit quantized ({file.WeightFormat} weights): give calibration images with --data DIR or --fashion-mnist [DIR] to quantize it."
                : "--int8 calibrates a float network's activations on images: give --data DIR or --fashion-mnist [DIR].");
        }

        // Calibrated on training images: the test split stays unseen, for 'effnet evaluate --onnx' to measure the file on.
        DatasetSplits splits = DatasetLoader.Load(settings, forTraining: true, trainImages: null, seed: 0);
        var calibration = new Int8Calibration
        {
            Images = splits.Train ?? splits.Test,
            ImageCount = settings.CalibrationImages,
            Method = CalibrationMethodOf(settings.Calibration)!.Value,
            FullInteger = settings.FullInt8,
            Weights = WeightFormatOf(settings.Int8Weights)!.Value,
            MaxAgreementDrop = settings.MaxAgreementDrop / 100,
            Transform = source.Transform,
        };
        Int8ExportReport report = source.Network.ExportInt8Onnx(settings.Output, calibration, options, new CalibrationLine(diagnostics), cancellationToken);
        diagnostics.EndProgress();
        PrintWritten(report.File, source, options);
        console.WriteLine($"  {report.File.Quantization}");
        console.WriteLine(report.HeldOutImages == 0
            ? $"  against the float file: not compared, every one of the {report.CalibrationImages} images calibrated (lower --calibration-images to hold some out)"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  against the float file on {report.HeldOutImages} held-out images: top-1 agreement {report.TopOneAgreement:P1}, output signal-to-quantization-noise {report.SignalToNoiseDecibels:0.0} dB"));
        foreach (string kept in report.FloatActivations)
        {
            console.WriteLine($"  kept float: {kept}");
        }

        return ExitCodes.Success;
    }

    private void PrintWritten(OnnxExportReport report, WeightedNetwork source, OnnxExportOptions options)
    {
        console.WriteLine($"Wrote {report.Path} ({SummaryTable.Bytes(report.Bytes)}{(report.ExternalDataPath is null ? "" : $", weights in {report.ExternalDataPath}")}), opset {report.Opset}.");
        console.WriteLine($"  input   {report.Input}");
        console.WriteLine($"  output  {report.Output}");
        console.WriteLine($"  {report.NodeCount} operators, {report.InitializerCount} weight tensors; preprocessing: {source.Transform}; labels: {(options.Labels is null ? "none (class numbers)" : $"{options.Labels.Count} names")}");
    }

    private sealed class CalibrationLine(Diagnostics diagnostics) : IProgress<CalibrationProgress>
    {
        public void Report(CalibrationProgress value) => diagnostics.Progress($"int8 {value.Stage}: {value.Images}/{value.Total} images");
    }

    private static Int8WeightFormat? WeightFormatOf(string name) => name.ToLowerInvariant() switch
    {
        "reduced" => Int8WeightFormat.ReducedRange,
        "full" => Int8WeightFormat.Full,
        "unsigned" => Int8WeightFormat.Unsigned,
        _ => null,
    };

    private static CalibrationMethod? CalibrationMethodOf(string name) => name.ToLowerInvariant() switch
    {
        "percentile" => CalibrationMethod.Percentile,
        "minmax" or "min-max" => CalibrationMethod.MinMax,
        "entropy" => CalibrationMethod.Entropy,
        _ => null,
    };

    /// <summary>The network to export, with the preprocessing and class names its weights come with.</summary>
    private static WeightedNetwork Load(Settings settings, CancellationToken cancellationToken)
    {
        if (settings.TfLite is { } tflite)
        {
            WeightedNetwork imported = WeightedNetwork.FromTfLite(tflite);
            MemoryCheck.Inference(imported.Network.Spec, 1, "the TFLite model's size", withOnnxRuntime: true);
            return imported;
        }

        if (settings.Weights is { } name && WeightedNetwork.CatalogEntry(name) is { } named)
        {
            if (settings.Classes is not null)
            {
                throw new ArgumentException($"--weights {named.Name} is a published checkpoint with its own {named.Architecture.Classifier.NumClasses} classes: --classes and --new-classifier apply to weights files.");
            }

            MemoryCheck.Inference(named.Architecture, 1, "the checkpoint's size", withOnnxRuntime: true);
            return WeightedNetwork.FromPretrained(named, cancellationToken);
        }

        // A checkpoint of 'effnet train' records its network, as evaluate reads it: the options need not repeat it.
        NetworkSpec spec = settings.Weights is { } file && NetworkRecipe.RecordedIn(file, settings.Classes) is { } recorded ? recorded.Spec : settings.BuildSpec();

        // The verification runs the network in TorchSharp and in ONNX Runtime: both must fit before anything is built.
        MemoryCheck.Inference(spec, 1, "--resolution, --width or --phi", withOnnxRuntime: true);
        PretrainedWeights? published = WeightCatalog.All.FirstOrDefault(w => w.Architecture == spec);
        if (settings.Pretrained)
        {
            return WeightedNetwork.FromPretrained(
                published ?? throw new ArgumentException($"No published checkpoint has the architecture {spec.Name}; see 'effnet weights list'."),
                cancellationToken);
        }

        // A published architecture's own preprocessing; otherwise ImageNet's, resizing to 1/0.875 of the crop.
        EvalTransform transform = published?.Transform ?? EvalTransform.ImageNet((int)Math.Round(spec.Resolution / 0.875), spec.Resolution, Interpolation.Bilinear);
        if (settings.Weights is { } weights)
        {
            return WeightedNetwork.FromFile(spec, weights, transform, settings.Classes is not null, settings.NewClassifier);
        }

        return WeightedNetwork.Untrained(spec, transform);
    }
}
