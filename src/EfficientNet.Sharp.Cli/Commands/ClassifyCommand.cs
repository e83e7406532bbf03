using System.ComponentModel;
using System.Globalization;
using EfficientNet.Sharp.Cli.Errors;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.TfLite;
using EfficientNet.Sharp.Weights;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary><c>effnet classify IMAGE</c>: the top-k classes of an image, by a pretrained network, a weights file or an imported TFLite model.</summary>
internal sealed class ClassifyCommand(IAnsiConsole console, Diagnostics diagnostics) : Command<ClassifyCommand.Settings>
{
    /// <summary>Options of <c>effnet classify</c>.</summary>
    public sealed class Settings : CommandSettings, IUsesLibTorch
    {
        [CommandArgument(0, "<IMAGE>")]
        [Description("The image to classify (PNG, JPEG, BMP, …).")]
        public string Image { get; init; } = "";

        [CommandOption("--model <MODEL>")]
        [Description("A model name from 'effnet models' with published weights: b0 … b7, efficientnet_v2_s|m|l, mobilenet_v2, mobilenet_v3_large|small (default b0).")]
        [DefaultValue("b0")]
        public string Model { get; init; } = "b0";

        [CommandOption("--pretrained")]
        [Description("Use the published weights of --model (torchvision's default), from the cache or downloaded.")]
        public bool Pretrained { get; init; }

        [CommandOption("--weights <FILE>")]
        [Description("Load these weights into --model's architecture instead (PyTorch, safetensors or TorchSharp file; torchvision, timm or lukemelas names); the class count and names are the file's.")]
        public string? Weights { get; init; }

        [CommandOption("--tflite <FILE>")]
        [Description("Import this TensorFlow Lite classifier (MobileNetV1/V2, EfficientNet-Lite; float or quantized) and preprocess as it expects.")]
        public string? TfLite { get; init; }

        [CommandOption("--onnx <FILE>")]
        [Description("Classify with this ONNX model (exported by effnet export) in ONNX Runtime, preprocessing as its metadata says.")]
        public string? Onnx { get; init; }

        [CommandOption("--labels <FILE>")]
        [Description("Class names, one per line, in class order (default: ImageNet's, with 'background' first for 1001 classes).")]
        public string? Labels { get; init; }

        [CommandOption("--top <K>")]
        [Description("How many classes to print (default 5).")]
        [DefaultValue(5)]
        public int Top { get; init; } = 5;

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            int sources = (Pretrained ? 1 : 0) + (Weights is null ? 0 : 1) + (TfLite is null ? 0 : 1) + (Onnx is null ? 0 : 1);
            if (sources != 1)
            {
                return ValidationResult.Error("Give one of --pretrained, --weights FILE, --tflite FILE or --onnx FILE: an untrained network's classes mean nothing.");
            }

            if (Labels is not null && Pretrained)
            {
                return ValidationResult.Error("--labels goes with --weights or --tflite; the published weights have their own class names.");
            }

            return Top < 1 ? ValidationResult.Error("--top must be at least 1.") : ValidationResult.Success();
        }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? labels = settings.Labels is null ? null : ReadLabels(settings.Labels);
        if (settings.Onnx is not null)
        {
            using var onnx = new OnnxClassifier(settings.Onnx, new OnnxClassifierOptions { Labels = labels });
            Print(onnx.Classify(settings.Image, settings.Top));
            return ExitCodes.Success;
        }

        if (settings.TfLite is not null)
        {
            using TfLiteModel imported = TfLiteImport.Load(settings.TfLite);
            if (imported.Spec.Classifier.IsHeadless)
            {
                throw new InvalidDataException($"'{settings.TfLite}' is a headless feature extractor ({imported.Spec.Name}: it ends with {imported.Spec.FeatureChannels} pooled features and has no classifier), so it cannot classify. `effnet summary --tflite` and `effnet export` accept it.");
            }

            CheckLabels(labels, imported.Spec.Classifier.NumClasses, settings);
            using var importedClassifier = new ImageClassifier(imported.Network, imported.Transform, labels);
            Print(importedClassifier, settings);
            return ExitCodes.Success;
        }

        PretrainedWeights catalog = DefaultWeights(settings.Model);
        using WeightedNetwork loaded = settings.Pretrained
            ? WeightedNetwork.FromPretrained(catalog, cancellationToken)
            : WeightedNetwork.FromFile(catalog.Architecture, settings.Weights!, catalog.Transform, classesGiven: false, newClassifier: false);
        diagnostics.Note(loaded.Report!.Summary);
        if (loaded.Network.Spec.Classifier.IsHeadless)
        {
            throw new InvalidDataException($"'{settings.Weights}' holds no classifier (a feature extractor's weights), so it cannot classify.");
        }

        CheckLabels(labels, loaded.Network.Spec.Classifier.NumClasses, settings);
        using var classifier = new ImageClassifier(loaded.Network, loaded.Transform, labels ?? loaded.Labels);
        Print(classifier, settings);
        return ExitCodes.Success;
    }

    /// <summary>A labels file that does not match the model is a bad input file, not a bad argument: say which file.</summary>
    private static void CheckLabels(IReadOnlyList<string>? labels, int classes, Settings settings)
    {
        if (labels is not null && labels.Count != classes)
        {
            throw new InvalidDataException($"'{settings.Labels}' has {labels.Count} names but the model has {classes} classes.");
        }
    }

    private void Print(ImageClassifier classifier, Settings settings) => Print(classifier.Classify(settings.Image, settings.Top));

    private void Print(IReadOnlyList<Prediction> predictions)
    {
        foreach (Prediction prediction in predictions)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prediction.ClassIndex,5}  {prediction.Probability:0.0000}  {prediction.Label}"));
        }
    }

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
