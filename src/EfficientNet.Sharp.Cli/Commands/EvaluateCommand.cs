using System.ComponentModel;
using System.Globalization;
using EfficientNet.Sharp.Cli.Errors;
using EfficientNet.Sharp.Cli.Limits;
using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;
using EfficientNet.Sharp.TfLite;
using EfficientNet.Sharp.Training;
using EfficientNet.Sharp.Weights;
using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp;

namespace EfficientNet.Sharp.Cli.Commands;

/// <summary><c>effnet evaluate</c>: accuracy, per-class accuracy and the most frequent confusions of trained weights.</summary>
internal sealed class EvaluateCommand(IAnsiConsole console, Diagnostics diagnostics) : Command<EvaluateCommand.Settings>
{
    /// <summary>Options of <c>effnet evaluate</c>.</summary>
    public sealed class Settings : DatasetSettings, IUsesLibTorch
    {
        [CommandOption("--weights <FILE|NAME>")]
        [Description("A checkpoint of 'effnet train' (it records its network and preprocessing), any weights file for the network --model and --phi describe, or a catalog name ('effnet weights list', evaluated with its own preprocessing).")]
        public string Weights { get; init; } = "";

        [CommandOption("--onnx <FILE>")]
        [Description("Evaluate this exported ONNX file (float or int8) in ONNX Runtime, with the preprocessing it records: the accuracy of the exact file you deploy.")]
        public string? Onnx { get; init; }

        [CommandOption("--tflite <FILE>")]
        [Description("The .tflite file a checkpoint was fine-tuned from (its architecture); needed for such checkpoints, which record where it was but are never trusted to open it.")]
        public string? TfLite { get; init; }

        [CommandOption("--json")]
        [Description("Write the result as one JSON document to stdout (schema in docs/json-output.md).")]
        public bool Json { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            ValidationResult common = base.Validate();
            return !common.Successful ? common
                : string.IsNullOrWhiteSpace(Weights) == (Onnx is null) ? ValidationResult.Error("Give one of --weights FILE and --onnx FILE.")
                : Onnx is not null && TfLite is not null ? ValidationResult.Error("--tflite names the architecture of a --weights checkpoint; an --onnx file needs none.")
                : ValidationResult.Success();
        }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Threads is int threads)
        {
            torch.set_num_threads(threads);
        }

        if (settings.Onnx is { } onnx)
        {
            return EvaluateFile(settings, onnx, cancellationToken);
        }

        PretrainedWeights? published = WeightedNetwork.CatalogEntry(settings.Weights);
        if (published is null && !File.Exists(settings.Weights))
        {
            throw new FileNotFoundException($"Weights file '{settings.Weights}' does not exist (nor is it a catalog name; see 'effnet weights list').", settings.Weights);
        }

        DatasetSplits data = DatasetLoader.Load(settings, forTraining: false, trainImages: null, seed: 0);
        ImageDataset images = data.Test;
        TrainingCheckpoint? checkpoint = published is null && IsTrainingCheckpoint(settings.Weights) ? TrainingCheckpoint.ReadInfo(settings.Weights) : null;
        if (checkpoint is not null && !checkpoint.ClassNames.SequenceEqual(images.ClassNames))
        {
            throw new InvalidDataException($"'{settings.Weights}' was trained on the classes {string.Join(", ", checkpoint.ClassNames)}, but '{images.Source}' has {string.Join(", ", images.ClassNames)}.");
        }

        NetworkRecipe? recipe = checkpoint is null ? null : NetworkRecipe.FromCheckpoint(checkpoint);
        if (recipe?.TfLite is { } recorded && settings.TfLite is null)
        {
            // A path inside a file is not the user's choice: it is never opened unless the user names it.
            throw new ArgumentException($"'{settings.Weights}' was fine-tuned from the TFLite file '{recorded}': give that file (or a copy) with --tflite FILE.");
        }

        using TfLiteModel? imported = settings.TfLite is { } tflite ? TfLiteImport.Load(tflite) : null;
        NetworkSpec? built = imported is not null ? null : published?.Architecture ?? BuildSpec(settings, recipe, checkpoint, images.ClassNames.Count);
        if (built is not null)
        {
            MemoryCheck.Inference(built, settings.Batch, "--batch (or the recorded network is too large for this machine)");
        }

        using ConvNetwork? own = built is null ? null : new ConvNetwork(built);
        ConvNetwork network = imported?.Network ?? own!;
        if (imported is not null)
        {
            network.ResetClassifier(images.ClassNames.Count);
        }

        if (published is not null)
        {
            network.LoadPretrained(published, cancellationToken: cancellationToken);
        }
        else
        {
            network.LoadWeights(settings.Weights);
        }

        // The checkpoint's own preprocessing, or the published checkpoint's; only plain weights files fall back to a default.
        ImageTransform transform = checkpoint?.EvaluationTransform
            ?? (published is not null ? ImageTransform.From(published.Transform) : null)
            ?? new ImageTransform { Resolution = settings.Resolution ?? network.Spec.Resolution, Channels = network.Spec.InputChannels };
        // Progress on stderr (a terminal's progress line only): stdout carries the results alone, for scripts.
        EvaluationResult result = Evaluator.Evaluate(network, images, transform, settings.Batch, new ProgressLine(diagnostics), cancellationToken);
        diagnostics.EndProgress();
        Print(settings, result, images, data.TestName);
        return ExitCodes.Success;
    }

    /// <summary><c>--onnx</c>: the file in ONNX Runtime, its images prepared as its metadata records.</summary>
    private int EvaluateFile(Settings settings, string path, CancellationToken cancellationToken)
    {
        IO.InputFile.Check(path, "ONNX model", IO.InputFile.MaxOnnxBytes);
        DatasetSplits data = DatasetLoader.Load(settings, forTraining: false, trainImages: null, seed: 0);
        using var file = new OnnxFileModule(path, settings.Threads);
        if (file.Model.OutputLength != data.Test.ClassNames.Count)
        {
            throw new InvalidDataException($"'{path}' scores {file.Model.OutputLength} classes but '{data.Test.Source}' has {data.Test.ClassNames.Count}.");
        }

        EvaluationResult result = Evaluator.Evaluate(file, data.Test, ImageTransform.From(file.Model.Preprocessing!), settings.Batch, new ProgressLine(diagnostics), cancellationToken);
        diagnostics.EndProgress();
        Print(settings, result, data.Test, data.TestName);
        return ExitCodes.Success;
    }

    private static NetworkSpec BuildSpec(Settings settings, NetworkRecipe? recipe, TrainingCheckpoint? checkpoint, int classes)
    {
        if (recipe is not null)
        {
            return recipe.BuildCheckedSpec(classes, checkpoint!);
        }

        NetworkSpec spec = settings.BuildSpec();
        return spec with { Classifier = spec.Classifier with { NumClasses = classes } };
    }

    /// <summary>Whether the file says it is a training checkpoint; a damaged one is then read (and refused) as one, not as plain weights.</summary>
    private static bool IsTrainingCheckpoint(string path) => TrainingCheckpoint.Claims(path);

    private void Print(Settings settings, EvaluationResult result, ImageDataset images, string split)
    {
        if (settings.Json)
        {
            IReadOnlyList<double> accuracies = result.ClassAccuracy;
            JsonOutput.Write(console, "evaluate", new
            {
                Model = settings.Onnx ?? settings.Weights,
                Dataset = images.Source,
                Split = split,
                Images = result.Count,
                result.Correct,
                result.Accuracy,
                Loss = JsonOutput.Finite(result.Loss),
                Classes = result.ClassNames.Select((name, i) => new { Name = name, Images = result.Confusion[i].Sum(), Accuracy = JsonOutput.Finite(accuracies[i]) }),
                Confusion = result.Confusion,
                MostConfused = result.MostConfused(5).Select(c => new { Actual = result.ClassNames[c.Actual], Predicted = result.ClassNames[c.Predicted], c.Images }),
            });
            return;
        }

        var table = new Table()
            .AddColumn(new TableColumn("Class"))
            .AddColumn(new TableColumn("Images").RightAligned())
            .AddColumn(new TableColumn("Accuracy").RightAligned());
        IReadOnlyList<double> perClass = result.ClassAccuracy;
        for (int i = 0; i < result.ClassNames.Count; i++)
        {
            long count = result.Confusion[i].Sum();
            table.AddRow(Markup.Escape(result.ClassNames[i]), count.ToString("N0", CultureInfo.InvariantCulture), double.IsNaN(perClass[i]) ? "-" : (perClass[i] * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%");
        }

        console.Write(table);
        foreach ((int actual, int predicted, long count) in result.MostConfused(5))
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"confused: {result.ClassNames[actual]} → {result.ClassNames[predicted]}: {count} images"));
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{split} images: {result.Count:N0} from {images.Source}; mean loss {result.Loss:0.0000}"));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy: {result.Accuracy * 100:0.00}%"));
    }

    private sealed class ProgressLine(Diagnostics diagnostics) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => diagnostics.Progress(string.Create(CultureInfo.InvariantCulture, $"Evaluating… batch {value.Done}/{value.Total}"));
    }
}
