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

/// <summary><c>effnet train</c>: trains or fine-tunes a network on an image folder or Fashion-MNIST, with checkpoints.</summary>
internal sealed class TrainCommand(IAnsiConsole console, Diagnostics diagnostics) : Command<TrainCommand.Settings>
{
    /// <summary>Options of <c>effnet train</c>.</summary>
    public sealed class Settings : DatasetSettings, IUsesLibTorch
    {
        [CommandOption("-o|--output <DIR>")]
        [Description("Folder for last.safetensors and best.safetensors (created if missing).")]
        public string Output { get; init; } = "";

        [CommandOption("--epochs <N>")]
        [Description("Epochs to train (default 10).")]
        public int Epochs { get; init; } = 10;

        [CommandOption("--weights <FILE|NAME>")]
        [Description("Start from these weights: a weights file, a catalog name ('effnet weights list'), or a .tflite file (its network and weights); a classifier for another number of classes is replaced by a new one for the dataset's.")]
        public string? Weights { get; init; }

        [CommandOption("--optimizer <NAME>")]
        [Description("sgd (default; Nesterov momentum 0.9) or adamw.")]
        public string Optimizer { get; init; } = "sgd";

        [CommandOption("--lr <RATE>")]
        [Description("Peak learning rate (default 0.05 for sgd, 0.002 for adamw).")]
        public double? LearningRate { get; init; }

        [CommandOption("--weight-decay <DECAY>")]
        [Description("Weight decay of weights, not biases or BatchNorm (default 4e-5 for sgd, 0.05 for adamw).")]
        public double? WeightDecay { get; init; }

        [CommandOption("--warmup-epochs <EPOCHS>")]
        [Description("Epochs of linear warm-up before the cosine decay (default 1).")]
        public double WarmupEpochs { get; init; } = 1;

        [CommandOption("--label-smoothing <EPS>")]
        [Description("Label smoothing (default 0.1).")]
        public double LabelSmoothing { get; init; } = 0.1;

        [CommandOption("--ema <DECAY>")]
        [Description("Keep an exponential moving average of the weights with this decay (for example 0.999); it is validated and saved.")]
        public double? Ema { get; init; }

        [CommandOption("--clip <NORM>")]
        [Description("Clip the gradients' global L2 norm to this.")]
        public double? Clip { get; init; }

        [CommandOption("--augment <KIND>")]
        [Description("none, pad-crop (default for Fashion-MNIST) or random-resized-crop (default for image folders).")]
        public string? Augment { get; init; }

        [CommandOption("--freeze <LEVELS>")]
        [Description("Freeze the first feature levels (stem and blocks, BatchNorm statistics included) at the start.")]
        public int Freeze { get; init; }

        [CommandOption("--unfreeze-after <EPOCHS>")]
        [Description("Unfreeze everything after this many epochs.")]
        public int? UnfreezeAfter { get; init; }

        [CommandOption("--freeze-batchnorm")]
        [Description("Keep BatchNorm in eval mode (running statistics fixed); always on for a .tflite start, whose BatchNorm is folded.")]
        public bool FreezeBatchNorm { get; init; }

        [CommandOption("--train-images <COUNT>")]
        [Description("Train on a seeded sample of this many images.")]
        public int? TrainImages { get; init; }

        [CommandOption("--seed <SEED>")]
        [Description("Fixes the initial weights (and a new classifier's), the data order, augmentation and dropout (default 0).")]
        public int Seed { get; init; }

        [CommandOption("--resume")]
        [Description("Continue from --output's last.safetensors (same options), or start afresh when there is none.")]
        public bool Resume { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            ValidationResult common = base.Validate();
            return !common.Successful ? common
                : string.IsNullOrWhiteSpace(Output) ? ValidationResult.Error("--output DIR is required: checkpoints go there.")
                : Epochs < 1 ? ValidationResult.Error("--epochs must be at least 1.")
                : TrainImages is < 1 ? ValidationResult.Error("--train-images must be at least 1.")
                : OptionNames.ParseOptimizer(Optimizer) is null ? ValidationResult.Error($"Unknown --optimizer '{Optimizer}': use {OptionNames.OptimizerList}.")
                : Augment is not null && OptionNames.ParseAugmentation(Augment) is null ? ValidationResult.Error($"Unknown --augment '{Augment}': use {OptionNames.AugmentationList}.")
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

        DatasetSplits data = DatasetLoader.Load(settings, forTraining: true, settings.TrainImages, settings.Seed);
        ImageDataset train = data.Train!;
        int classes = train.ClassNames.Count;

        // Random initial weights and a new classifier draw from libtorch's global generator: seeded here, they follow
        // from --seed, not from whatever drew from it before in this process. What manual_seed returns is a second
        // handle on that generator, released here rather than left to the finalizer.
        torch.manual_seed(settings.Seed).Dispose();
        using StartingNetwork start = StartingNetwork.Create(settings, classes, cancellationToken);
        ConvNetwork network = start.Network;
        if (start.Report is { } loaded)
        {
            diagnostics.Note(loaded.Summary);
        }

        MemoryCheck.Training(network.Spec, settings.Resolution ?? network.Spec.Resolution, settings.Batch, "--batch or --resolution");
        var options = new TrainingOptions
        {
            Epochs = settings.Epochs,
            BatchSize = settings.Batch,
            Optimizer = OptionNames.ParseOptimizer(settings.Optimizer)!.Value,
            LearningRate = settings.LearningRate,
            WeightDecay = settings.WeightDecay,
            WarmupEpochs = settings.WarmupEpochs,
            LabelSmoothing = settings.LabelSmoothing,
            EmaDecay = settings.Ema,
            GradientClipNorm = settings.Clip,
            Seed = settings.Seed,
            Augmentation = settings.Augment is { } augment ? OptionNames.ParseAugmentation(augment)!.Value : data.DefaultAugmentation,
            Resolution = settings.Resolution,
            Mean = start.Mean,
            Std = start.Std,
            FreezeStages = settings.Freeze,
            FreezeBatchNorm = settings.FreezeBatchNorm || start.TfLitePath is not null,
            UnfreezeAfterEpochs = settings.UnfreezeAfter,
        };

        using var trainer = new Trainer(network, options);
        trainer.Metadata[NetworkRecipe.MetadataKey] = NetworkRecipe.Of(settings, start.TfLitePath).ToJson();
        string last = Path.Combine(settings.Output, Trainer.LastCheckpointName);
        if (settings.Resume && File.Exists(last))
        {
            TrainingCheckpoint resumed = trainer.Resume(last);
            console.WriteLine(Invariant($"Resuming from {last} after epoch {resumed.Epoch} of {options.Epochs}."));
        }

        console.WriteLine(Invariant($"Training {network.Spec.Name} ({network.parameters().Sum(p => p.numel()):N0} parameters) at {trainer.TrainTransform.Resolution} px on {train.Count:N0} images of {classes} classes from {train.Source}"));
        console.WriteLine(Invariant($"{OptionNames.Name(options.Optimizer)}, peak learning rate {options.EffectiveLearningRate:G3}, batch {options.BatchSize}, {options.Epochs} epochs, augmentation {OptionNames.Name(options.Augmentation)}, seed {options.Seed}; validation: {(data.Validation is null ? "none" : $"{data.Validation.Count:N0} images")}"));
        var report = new TrainingReport(console);
        report.WriteHeader();
        TrainingResult result = report.Run(progress => trainer.Train(train, data.Validation, settings.Output, progress, cancellationToken));

        // The final accuracy comes from the best checkpoint (or the last, without validation data), on images no choice was made by.
        ConvNetwork final = trainer.ValidatedNetwork;
        if (result.BestCheckpoint is { } best)
        {
            final.LoadWeights(best);
        }

        EvaluationResult test = Evaluator.Evaluate(final, data.Test, trainer.EvaluationTransform, options.BatchSize, cancellationToken: cancellationToken);
        console.WriteLine(Invariant($"checkpoints: {result.LastCheckpoint}{(result.BestCheckpoint is null ? "" : $", {result.BestCheckpoint}")}; {result.Duration.TotalMinutes:0.0} min"));
        console.WriteLine(Invariant($"{data.TestName} accuracy: {test.Accuracy * 100:0.00}%"));
        return ExitCodes.Success;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The network training starts from, with the normalisation its weights expect.</summary>
    private sealed class StartingNetwork : IDisposable
    {
        private TfLiteModel? imported;

        public required ConvNetwork Network { get; init; }

        public IReadOnlyList<float>? Mean { get; init; }

        public IReadOnlyList<float>? Std { get; init; }

        public string? TfLitePath { get; init; }

        /// <summary>What loading the starting weights did (null without --weights or for a TFLite start).</summary>
        public WeightLoadReport? Report { get; init; }

        /// <summary>Fine-tuning asks for the dataset's classifier: one for another class count is replaced, as the option says.</summary>
        private static readonly WeightLoadOptions FineTuning = new() { KeepNewClassifier = true };

        public static StartingNetwork Create(Settings settings, int classes, CancellationToken cancellationToken)
        {
            if (settings.Weights is { } tfLite && tfLite.EndsWith(".tflite", StringComparison.OrdinalIgnoreCase))
            {
                TfLiteModel model = TfLiteImport.Load(tfLite);
                model.Network.ResetClassifier(classes);
                return new StartingNetwork { Network = model.Network, imported = model, Mean = model.Transform.Mean, Std = model.Transform.Std, TfLitePath = tfLite };
            }

            NetworkSpec spec = settings.BuildSpec();
            spec = spec with { Classifier = spec.Classifier with { NumClasses = classes } };
            var network = new ConvNetwork(spec);
            if (settings.Weights is null)
            {
                return new StartingNetwork { Network = network };
            }

            try
            {
                if (File.Exists(settings.Weights))
                {
                    return new StartingNetwork { Network = network, Report = network.LoadWeights(settings.Weights, FineTuning) };
                }

                PretrainedWeights catalog = WeightCatalog.Find(settings.Weights);
                WeightLoadReport report = network.LoadPretrained(catalog, FineTuning, cancellationToken);
                return new StartingNetwork { Network = network, Report = report, Mean = catalog.Transform.Mean, Std = catalog.Transform.Std };
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            if (imported is not null)
            {
                imported.Dispose();
            }
            else
            {
                Network.Dispose();
            }
        }
    }
}
