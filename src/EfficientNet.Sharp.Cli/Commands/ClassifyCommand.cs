using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using EfficientNet.Sharp.Cli.Errors;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Weights;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary>
/// <c>effnet classify IMAGE…</c>: the top-k classes of images (files, folders, glob patterns), by a pretrained network, a
/// weights file, an imported TFLite model or an exported ONNX model, in batches; one JSON object per image with
/// <c>--json</c>. An image that fails is reported in its place and does not stop the others.
/// </summary>
internal sealed class ClassifyCommand(IAnsiConsole console, Diagnostics diagnostics) : Command<ClassifyCommand.Settings>
{
    /// <summary>Options of <c>effnet classify</c>.</summary>
    public sealed class Settings : CommandSettings, IUsesLibTorch
    {
        [CommandArgument(0, "<IMAGES>")]
        [Description("Images to classify: files (PNG, JPEG, BMP, GIF, WebP), folders of them, or glob patterns such as 'photos/*.jpg' or 'photos/**/*.png'.")]
        public string[] Images { get; init; } = [];

        [CommandOption("-m|--model <MODEL>")]
        [Description("A model name from 'effnet models' with published weights: b0 … b7, efficientnet_v2_s|m|l, mobilenet_v2, mobilenet_v3_large|small (default b0).")]
        public string Model { get; init; } = "b0";

        [CommandOption("--pretrained")]
        [Description("Use the published weights of --model (torchvision's default), from the cache or downloaded.")]
        public bool Pretrained { get; init; }

        [CommandOption("--weights <FILE|NAME>")]
        [Description("Load these weights into --model's architecture instead (PyTorch, safetensors or TorchSharp file; torchvision, timm or lukemelas names), or a catalog name ('effnet weights list', with its own architecture and preprocessing); the class count, names and preprocessing are the file's when it records them.")]
        public string? Weights { get; init; }

        [CommandOption("--tflite <FILE>")]
        [Description("Import this TensorFlow Lite classifier (MobileNetV1/V2/V3, EfficientNet-Lite, EfficientNet; float or quantized) and preprocess as it expects.")]
        public string? TfLite { get; init; }

        [CommandOption("--onnx <FILE>")]
        [Description("Classify with this ONNX model (exported by effnet export) in ONNX Runtime, preprocessing as its metadata says.")]
        public string? Onnx { get; init; }

        [CommandOption("--labels <FILE>")]
        [Description("Class names, one per line, in class order (default: the model's own, else ImageNet's, with 'background' first for 1001 classes).")]
        public string? Labels { get; init; }

        [CommandOption("--top <K>")]
        [Description("Classes per image (default 5).")]
        public int Top { get; init; } = 5;

        [CommandOption("-r|--recursive")]
        [Description("Take the images of folders' sub-folders too.")]
        public bool Recursive { get; init; }

        [CommandOption("--batch <SIZE>")]
        [Description("Images per run of the network (default 8): prepared in parallel, run together.")]
        public int Batch { get; init; } = 8;

        [CommandOption("--json")]
        [Description("Write one JSON object per image to stdout: {\"path\", \"predictions\": [[{\"index\", \"label\", \"probability\"}]]} or {\"path\", \"error\"}.")]
        public bool Json { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            int sources = (Pretrained ? 1 : 0) + (Weights is null ? 0 : 1) + (TfLite is null ? 0 : 1) + (Onnx is null ? 0 : 1);
            return Images.Length == 0 ? ValidationResult.Error("Give at least one image, folder or pattern to classify.")
                : sources != 1 ? ValidationResult.Error("Give one of --pretrained, --weights FILE, --tflite FILE or --onnx FILE: an untrained network's classes mean nothing.")
                : Labels is not null && Pretrained ? ValidationResult.Error("--labels goes with --weights, --tflite or --onnx; the published weights have their own class names.")
                : Top < 1 ? ValidationResult.Error("--top must be at least 1.")
                : Batch is < 1 or > MaxBatch ? ValidationResult.Error($"--batch must be 1 to {MaxBatch}.")
                : ValidationResult.Success();
        }

        /// <inheritdoc />
        public bool NeedsLibTorch => Onnx is null;

        /// <summary>Images prepared and run together at most: 256 at 600 px are 1 GB of input.</summary>
        public const int MaxBatch = 256;
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? labels = settings.Labels is null ? null : ReadLabels(settings.Labels);
        using IImageClassifier classifier = Open(settings, labels, cancellationToken);
        IReadOnlyList<ImageInput> inputs = ImageInputs.Expand(settings.Images, settings.Recursive);
        var results = new BatchClassification(classifier, settings.Top);
        int failed = 0, done = 0;
        foreach (ImageInput[] batch in inputs.Chunk(settings.Batch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach ((ImageInput input, IReadOnlyList<Prediction>? predictions, string? error) in results.Classify(batch))
            {
                failed += error is null ? 0 : 1;
                Write(settings, inputs.Count, input.Path, predictions, error);
            }

            done += batch.Length;
            diagnostics.Progress(string.Create(CultureInfo.InvariantCulture, $"classified {done:N0} of {inputs.Count:N0} images"));
        }

        diagnostics.EndProgress();
        if (failed > 0)
        {
            // One image's own error line says it all; several get a count after theirs.
            if (inputs.Count > 1 || settings.Json)
            {
                diagnostics.Note(string.Create(CultureInfo.InvariantCulture, $"error: {failed:N0} of {inputs.Count:N0} images could not be classified."));
            }

            return ExitCodes.BadInput;
        }

        return ExitCodes.Success;
    }

    /// <summary>The classifier the options name: ONNX Runtime for <c>--onnx</c>, TorchSharp otherwise.</summary>
    private IImageClassifier Open(Settings settings, IReadOnlyList<string>? labels, CancellationToken cancellationToken)
    {
        if (settings.Onnx is { } onnx)
        {
            var onnxClassifier = new OnnxClassifier(onnx, new OnnxClassifierOptions { Labels = labels });
            if (onnxClassifier.Classes == 0)
            {
                onnxClassifier.Dispose();
                throw new InvalidDataException($"'{onnx}' outputs pooled features, not class scores (a headless or backbone export): it cannot classify.");
            }

            return onnxClassifier;
        }

        WeightedNetwork loaded = settings.TfLite is { } tflite ? WeightedNetwork.FromTfLite(tflite)
            : settings.Pretrained ? WeightedNetwork.FromPretrained(DefaultWeights(settings.Model), cancellationToken)
            : WeightedNetwork.CatalogEntry(settings.Weights!) is { } named ? WeightedNetwork.FromPretrained(named, cancellationToken)
            : WeightedNetwork.FromFile(NetworkRecipe.RecordedIn(settings.Weights!)?.Spec ?? DefaultWeights(settings.Model).Architecture, settings.Weights!, DefaultWeights(settings.Model).Transform, classesGiven: false, newClassifier: false);
        try
        {
            if (loaded.Report is { } report)
            {
                diagnostics.Note(report.Summary);
            }

            if (loaded.Network.Spec.Classifier.IsHeadless)
            {
                throw new InvalidDataException($"'{settings.TfLite ?? settings.Weights}' is a headless feature extractor ({loaded.Network.Spec.Name}: it ends with {loaded.Network.Spec.FeatureChannels} pooled features and has no classifier), so it cannot classify. `effnet summary` and `effnet export` accept it.");
            }

            int classes = loaded.Network.Spec.Classifier.NumClasses;
            if (labels is not null && labels.Count != classes)
            {
                throw new InvalidDataException($"'{settings.Labels}' has {labels.Count} names but the model has {classes} classes.");
            }

            return new OwningClassifier(new ImageClassifier(loaded.Network, loaded.Transform, labels ?? loaded.Labels), loaded);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    private void Write(Settings settings, int count, string path, IReadOnlyList<Prediction>? predictions, string? error)
    {
        TextWriter output = console.Profile.Out.Writer;
        if (settings.Json)
        {
            // One line per image, written past the console's rendering (which would wrap long lines).
            output.WriteLine(error is null
                ? JsonSerializer.Serialize(new { path, predictions = predictions!.Select(p => new { index = p.ClassIndex, label = p.Label, probability = p.Probability }) }, JsonLines)
                : JsonSerializer.Serialize(new { path, error }, JsonLines));
            return;
        }

        if (error is not null)
        {
            diagnostics.Note($"error: {error}");
            return;
        }

        if (count > 1)
        {
            output.WriteLine(path);
        }

        foreach (Prediction prediction in predictions!)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prediction.ClassIndex,5}  {prediction.Probability:0.0000}  {prediction.Label}"));
        }
    }

    /// <summary>Compact, and quotes and non-ASCII names written as themselves (still valid JSON).</summary>
    private static readonly JsonSerializerOptions JsonLines = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string[] ReadLabels(string path)
    {
        InputFile.Check(path, "labels file", InputFile.MaxLabelsBytes);
        return [.. File.ReadAllLines(path).Select(line => line.Trim()).Where(line => line.Length > 0)];
    }

    private static PretrainedWeights DefaultWeights(string model)
    {
        RegisteredModel entry = ModelRegistry.Find(model)
            ?? throw new ArgumentException($"Unknown --model '{model}': use a name that 'effnet models' lists (b0 … b7, mobilenet_v3_large, …).", nameof(model));
        return entry.DefaultWeights
            ?? throw new ArgumentException($"--model {entry.Name} has no published weights in the catalog: use --weights FILE or --tflite FILE.", nameof(model));
    }
}
