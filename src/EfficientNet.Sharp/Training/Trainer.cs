using System.Diagnostics;
using System.Globalization;
using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Training;

/// <summary>
/// Trains or fine-tunes a <see cref="ConvNetwork"/> on an <see cref="ImageDataset"/>: cross-entropy with label
/// smoothing, SGD or AdamW with weight decay on weights only, linear warm-up and cosine decay, optional
/// weight averaging and gradient clipping, staged freezing, validation and checkpoints after every epoch.
/// </summary>
/// <remarks>
/// <para>Determinism: each epoch's data order, augmentation, dropout and stochastic depth follow from
/// (<see cref="TrainingOptions.Seed"/>, epoch) alone. A run resumed from an epoch's checkpoint therefore takes the
/// same steps as an uninterrupted one on the same machine and thread count. Training reseeds libtorch's global
/// generator (<c>torch.manual_seed</c>) at every epoch.</para>
/// <para>Checkpoints: <c>last.safetensors</c> after every epoch and <c>best.safetensors</c> when the validation accuracy
/// improves, both written whole or not at all, so a crash or a cancellation leaves the last complete ones.</para>
/// </remarks>
public sealed partial class Trainer : IDisposable
{
    /// <summary>The last checkpoint's file name in the checkpoint folder.</summary>
    public const string LastCheckpointName = "last.safetensors";

    /// <summary>The best checkpoint's file name in the checkpoint folder.</summary>
    public const string BestCheckpointName = "best.safetensors";

    private readonly TrainableParameter[] parameters;
    private readonly UpdateRule rule;
    private readonly WeightAverage? average;
    private long step;
    private double? bestAccuracy;

    /// <summary>Prepares training; the network is trained in place.</summary>
    /// <param name="network">The network (its classifier must already have the dataset's class count: see <see cref="ConvNetwork.ResetClassifier"/>).</param>
    /// <param name="options">The recipe; default <see cref="TrainingOptions"/>.</param>
    /// <exception cref="ArgumentException">An option is out of range, or <see cref="TrainingOptions.FreezeStages"/> exceeds the network's feature levels.</exception>
    public Trainer(ConvNetwork network, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new TrainingOptions();
        options.Validate();
        if (options.FreezeStages > network.FeatureInfo.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FreezeStages, $"FreezeStages must be at most {network.FeatureInfo.Count}, the feature levels of {network.Spec.Name}.");
        }

        Network = network;
        Options = options;
        parameters = TrainableParameter.Of(network);
        rule = UpdateRule.Create(options.Optimizer, parameters, options);
        average = options.EmaDecay is double decay ? new WeightAverage(network, decay) : null;
        int channels = network.Spec.InputChannels;
        TrainTransform = new ImageTransform
        {
            Resolution = options.Resolution ?? network.Spec.Resolution,
            Channels = channels,
            Mean = options.Mean ?? (channels == 3 ? EvalTransform.ImageNetMean : [EvalTransform.ImageNetMean.Average()]),
            Std = options.Std ?? (channels == 3 ? EvalTransform.ImageNetStd : [EvalTransform.ImageNetStd.Average()]),
            Augmentation = options.Augmentation,
        };
        TrainTransform.Validate();
    }

    /// <summary>The network being trained.</summary>
    public ConvNetwork Network { get; }

    /// <summary>The recipe.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The network that is validated and saved as the model: the weight average when <see cref="TrainingOptions.EmaDecay"/> is set, else <see cref="Network"/>.</summary>
    public ConvNetwork ValidatedNetwork => average?.Network ?? Network;

    /// <summary>How training images are transformed (with augmentation).</summary>
    public ImageTransform TrainTransform { get; }

    /// <summary>How validation images are transformed (the same, without augmentation).</summary>
    public ImageTransform EvaluationTransform => TrainTransform.ForEvaluation();

    /// <summary>Epochs completed (by this trainer or the checkpoint it resumed from).</summary>
    public int CompletedEpochs { get; private set; }

    /// <summary>Extra strings saved in every checkpoint's metadata (for example how to rebuild the network).</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Trains the epochs not yet completed, validating and checkpointing after each.</summary>
    /// <param name="train">Training images; their class count must equal the network's outputs.</param>
    /// <param name="validation">Validation images with the same classes; null to skip validation (and the best checkpoint).</param>
    /// <param name="checkpointFolder">Where <see cref="LastCheckpointName"/> and <see cref="BestCheckpointName"/> go (created if missing); null for none.</param>
    /// <param name="progress">Receives a report after every step, validation batch and epoch.</param>
    /// <param name="cancellationToken">Stops between steps with <see cref="OperationCanceledException"/>; the checkpoints of finished epochs stay intact.</param>
    /// <returns>Every epoch's result and the checkpoint paths.</returns>
    /// <exception cref="ArgumentException">The datasets do not match the network's classes or each other.</exception>
    public TrainingResult Train(ImageDataset train, ImageDataset? validation = null, string? checkpointFolder = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckClasses(train, nameof(train));
        if (validation is not null)
        {
            CheckClasses(validation, nameof(validation));
            if (!validation.ClassNames.SequenceEqual(train.ClassNames))
            {
                throw new ArgumentException($"'{validation.Source}' names its classes differently from '{train.Source}'.", nameof(validation));
            }
        }

        CheckBatchNormCanNormalise(train);
        if (checkpointFolder is not null)
        {
            Directory.CreateDirectory(checkpointFolder);
        }

        // The trained network is evaluated and deployed with the images prepared as in validation, and these classes.
        foreach (ConvNetwork trained in new[] { Network, ValidatedNetwork }.Distinct())
        {
            trained.Preprocessing = TrainTransform.Evaluation;
            trained.ClassNames = train.ClassNames;
        }

        var clock = Stopwatch.StartNew();
        var batches = new ImageBatches(train, TrainTransform, Options.BatchSize, shuffle: true, dropLast: train.Count >= Options.BatchSize, seed: Options.Seed);
        var results = new List<EpochResult>();
        string? bestPath = null, lastPath = null;
        for (int epoch = CompletedEpochs; epoch < Options.Epochs; epoch++)
        {
            EpochResult result = RunEpoch(epoch, batches, validation, progress, cancellationToken);
            CompletedEpochs = epoch + 1;
            if (checkpointFolder is not null)
            {
                lastPath = Path.Combine(checkpointFolder, LastCheckpointName);
                WriteCheckpoint(lastPath, train.ClassNames, result);
                if (result.IsBest)
                {
                    bestPath = Path.Combine(checkpointFolder, BestCheckpointName);
                    string source = lastPath;
                    AtomicFile.Write(bestPath, stream =>
                    {
                        using FileStream last = File.OpenRead(source);
                        last.CopyTo(stream);
                    });
                }
            }

            results.Add(result);
            progress?.Report(new TrainingProgress(TrainingPhase.EpochCompleted, epoch + 1, Options.Epochs, batches.Count, batches.Count, result.TrainLoss, result.TrainAccuracy, result.ImagesPerSecond, result.LearningRate, Remaining(result.Duration, epoch + 1), result));
        }

        if (checkpointFolder is not null && bestPath is null && File.Exists(Path.Combine(checkpointFolder, BestCheckpointName)))
        {
            bestPath = Path.Combine(checkpointFolder, BestCheckpointName);
        }

        return new TrainingResult(results, bestAccuracy, bestPath, lastPath, clock.Elapsed);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        rule.Dispose();
        average?.Dispose();
    }

    private EpochResult RunEpoch(int epoch, ImageBatches batches, ImageDataset? validation, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        int frozen = Options.FreezeStages > 0 && (Options.UnfreezeAfterEpochs is not int after || epoch < after) ? Options.FreezeStages : 0;
        if (Network.FrozenStages != frozen)
        {
            Network.FreezeStages(frozen);
        }

        // The network keeps BatchNorm frozen through train() calls, the evaluator's included.
        if (Options.FreezeBatchNorm && !Network.BatchNormFrozen)
        {
            Network.BatchNormFrozen = true;
        }

        Network.train();

        // Dropout and stochastic depth draw from libtorch's global generator: seeding it per epoch makes epoch e
        // the same whether or not the epochs before it ran in this process. (The handle manual_seed returns is a
        // second one on that generator, released at once.)
        torch.manual_seed(((long)Options.Seed * 1_000_003) + epoch).Dispose();
        Device device = parameters[0].Parameter.device;
        var clock = Stopwatch.StartNew();
        double lossSum = 0, learningRate = 0;
        long correct = 0, seen = 0;
        int done = 0;
        foreach (ImageBatch batch in batches.Epoch(epoch, cancellationToken))
        {
            using (batch)
            using (NewDisposeScope())
            {
                learningRate = Options.LearningRateAt(step, batches.Count);
                Network.zero_grad();
                Tensor images = batch.Images.to(device);
                Tensor labels = batch.Labels.to(device);
                Tensor logits = Network.call(images);
                Tensor loss = nn.functional.cross_entropy(logits, labels, label_smoothing: Options.LabelSmoothing);
                loss.backward();

                // Checked before the step: a non-finite loss or gradient would turn every weight into NaN.
                double lossValue = loss.to_type(ScalarType.Float64).item<double>();
                double gradientNorm = GradientNorm();
                if (!double.IsFinite(lossValue) || !double.IsFinite(gradientNorm))
                {
                    throw new TrainingDivergedException(epoch + 1, step + 1, string.Create(CultureInfo.InvariantCulture,
                        $"Training diverged in epoch {epoch + 1}, step {step + 1}: the {(double.IsFinite(lossValue) ? "gradient norm" : "loss")} is {(double.IsFinite(lossValue) ? gradientNorm : lossValue)} at learning rate {learningRate:G3}. The weights of that step were not updated and the checkpoints of earlier epochs are kept; lower the learning rate, warm up longer, or clip the gradients."));
                }

                if (Options.GradientClipNorm is double maxNorm)
                {
                    ClipGradients(gradientNorm, maxNorm);
                }

                rule.Step(learningRate);
                average?.Update();
                step++;
                lossSum += lossValue * batch.Count;
                correct += logits.argmax(1).eq(labels).sum().item<long>();
                seen += batch.Count;
            }

            done++;
            double rate = seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            TimeSpan epochLeft = TimeSpan.FromSeconds((batches.Count - done) * clock.Elapsed.TotalSeconds / done);
            progress?.Report(new TrainingProgress(TrainingPhase.Training, epoch + 1, Options.Epochs, done, batches.Count, lossSum / seen, (double)correct / seen, rate, learningRate, epochLeft + (TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds * batches.Count / done) * (Options.Epochs - epoch - 1)), null));
        }

        double trainSeconds = clock.Elapsed.TotalSeconds;
        EvaluationResult? validated = null;
        if (validation is not null)
        {
            double loss = lossSum / Math.Max(seen, 1), accuracy = (double)correct / Math.Max(seen, 1);
            var validationProgress = progress is null ? null : new Progress<(int Done, int Total)>(report =>
                progress.Report(new TrainingProgress(TrainingPhase.Validating, epoch + 1, Options.Epochs, report.Done, report.Total, loss, accuracy, seen / trainSeconds, learningRate, TimeSpan.Zero, null)));
            try
            {
                validated = Evaluator.Evaluate(ValidatedNetwork, validation, EvaluationTransform, Options.BatchSize, validationProgress, cancellationToken);
            }
            catch (InvalidDataException invalid) when (invalid.InnerException is NonFiniteOutputException exception)
            {
                // Never a "best" checkpoint from a network whose outputs are not numbers.
                throw new TrainingDivergedException(epoch + 1, step, $"Training diverged in epoch {epoch + 1}: validation after step {step} gives non-finite outputs ({exception.Detail}). The checkpoints of earlier epochs are kept; lower the learning rate, or use larger batches or a higher resolution so that BatchNorm has more than one value to normalise.");
            }
        }

        bool isBest = validated is not null && (bestAccuracy is not double best || validated.Accuracy > best);
        if (isBest)
        {
            bestAccuracy = validated!.Accuracy;
        }

        return new EpochResult(epoch + 1, lossSum / Math.Max(seen, 1), (double)correct / Math.Max(seen, 1), validated, learningRate, clock.Elapsed, seen / Math.Max(trainSeconds, 1e-9), frozen, isBest);
    }

    /// <summary>The global L2 norm of every gradient (what PyTorch's <c>clip_grad_norm_</c> measures); 0 when there are none.</summary>
    private double GradientNorm()
    {
        using var noGrad = torch.no_grad();
        using var scope = NewDisposeScope();
        Tensor[] grads = parameters.Select(p => p.Parameter.grad).Where(g => g is not null).ToArray()!;
        return grads.Length == 0 ? 0 : torch.stack(grads.Select(g => g.norm()).ToArray()).norm().to_type(ScalarType.Float64).item<double>();
    }

    /// <summary>Scales every gradient by max / norm when their global L2 norm exceeds max (PyTorch's <c>clip_grad_norm_</c>).</summary>
    private void ClipGradients(double total, double maxNorm)
    {
        if (total <= maxNorm)
        {
            return;
        }

        using var noGrad = torch.no_grad();
        using Scalar scale = (maxNorm / (total + 1e-6)).ToScalar();
        foreach (Tensor grad in parameters.Select(p => p.Parameter.grad).Where(g => g is not null)!)
        {
            grad.mul_(scale);
        }
    }

    private long ParameterCount => parameters.Sum(p => p.Parameter.numel());

    private TimeSpan Remaining(TimeSpan epochDuration, int completed) => epochDuration * (Options.Epochs - completed);

    /// <summary>
    /// BatchNorm in training mode normalises each channel over batch × height × width values; with one value its
    /// variance is undefined and the running statistics become NaN (PyTorch's Python API refuses such a batch; libtorch
    /// does not). Batches are whole (a last, smaller one is dropped) unless the dataset is smaller than one batch.
    /// </summary>
    private void CheckBatchNormCanNormalise(ImageDataset train)
    {
        if (Options.FreezeBatchNorm)
        {
            return;
        }

        int resolution = TrainTransform.Resolution;
        long smallestMap = Analysis.NetworkAnalyzer.Analyze(Network.Spec, resolution).Layers
            .Where(layer => layer.Kind is Analysis.LayerKind.Convolution or Analysis.LayerKind.DepthwiseConvolution)
            .Min(layer => (long)layer.OutputHeight * layer.OutputWidth);
        int smallestBatch = Math.Min(Options.BatchSize, train.Count);
        if (smallestBatch * smallestMap == 1)
        {
            throw new ArgumentException(
                $"A training batch of one image reaches a 1 × 1 feature map in {Network.Spec.Name} at {resolution} px, where BatchNorm has a single value to normalise and its statistics become NaN: "
                + (train.Count == 1 ? $"'{train.Source}' has only one training image." : "use a BatchSize of at least 2")
                + " (or a higher Resolution, or FreezeBatchNorm).",
                train.Count == 1 ? nameof(train) : nameof(Options.BatchSize));
        }
    }

    private void CheckClasses(ImageDataset dataset, string name)
    {
        if (dataset.ClassNames.Count != Network.Spec.Classifier.NumClasses)
        {
            throw new ArgumentException($"'{dataset.Source}' has {dataset.ClassNames.Count} classes but {Network.Spec.Name} has {Network.Spec.Classifier.NumClasses} outputs: call ResetClassifier({dataset.ClassNames.Count}) first.", name);
        }

        if (dataset.Count == 0)
        {
            throw new ArgumentException($"'{dataset.Source}' has no images.", name);
        }
    }

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
