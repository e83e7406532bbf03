using EfficientNet.Sharp.Data;

namespace EfficientNet.Sharp.Training;

/// <summary>
/// The recipe of a <see cref="Trainer"/> run. Defaults are a sound start for training a small network from
/// scratch: SGD with Nesterov momentum 0.9 at 0.05 (AdamW: 0.002), one warm-up epoch, then a cosine decay to
/// zero, label smoothing 0.1, weight decay 4e-5 (AdamW: 0.05) on weights only.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Epochs to train, 1 to 100,000.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Images per step, 1 to 65,536 (a last, smaller batch is dropped in training).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The update rule.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>The peak learning rate, reached after warm-up; default 0.05 for SGD, 0.002 for AdamW.</summary>
    public double? LearningRate { get; init; }

    /// <summary>SGD's momentum, in [0, 1).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Whether SGD uses Nesterov momentum.</summary>
    public bool Nesterov { get; init; } = true;

    /// <summary>Weight decay of weights (not of biases and BatchNorm); default 4e-5 for SGD (L2), 0.05 for AdamW (decoupled).</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Epochs of linear warm-up from 0 to the peak learning rate (fractions allowed), then cosine decay to 0.</summary>
    public double WarmupEpochs { get; init; } = 1;

    /// <summary>Label smoothing of the cross-entropy loss, in [0, 1).</summary>
    public double LabelSmoothing { get; init; } = 0.1;

    /// <summary>
    /// Keep an exponential moving average of the weights with this decay (for example 0.999), validate and save
    /// it as the model; null for none. Early on the decay is min(decay, (1 + t) / (10 + t)) after t steps, so a
    /// short run is not dominated by its random start.
    /// </summary>
    public double? EmaDecay { get; init; }

    /// <summary>Scale gradients down when their global L2 norm exceeds this; null for no clipping.</summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>Fixes the data order, the augmentation, dropout and stochastic depth: the same seed retraces the same run.</summary>
    public int Seed { get; init; }

    /// <summary>The random view of training images.</summary>
    public Augmentation Augmentation { get; init; } = Augmentation.PadAndCrop;

    /// <summary>Input size in pixels; default the network's resolution.</summary>
    public int? Resolution { get; init; }

    /// <summary>Per-channel normalisation mean (1 or the network's input channels values); default ImageNet's (grey: their mean).</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel normalisation standard deviation; default ImageNet's (grey: their mean).</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>Feature levels to freeze at the start (<see cref="Models.ConvNetwork.FreezeStages"/>); 0 trains everything.</summary>
    public int FreezeStages { get; init; }

    /// <summary>
    /// Keep every BatchNorm layer in eval mode while training: it normalises with its running statistics and does
    /// not update them, while its scale and shift still learn. Needed to fine-tune a network imported from
    /// TensorFlow Lite, whose BatchNorm is folded into the convolutions (an identity that batch statistics would
    /// replace), and common when fine-tuning with small batches. The trainer sets
    /// <see cref="Models.ConvNetwork.BatchNormFrozen"/> on the network, which keeps it so after training.
    /// </summary>
    public bool FreezeBatchNorm { get; init; }

    /// <summary>Unfreeze every level after this many epochs; null keeps <see cref="FreezeStages"/> frozen throughout.</summary>
    public int? UnfreezeAfterEpochs { get; init; }

    /// <summary>The learning rate in use: <see cref="LearningRate"/> or the optimizer's default.</summary>
    public double EffectiveLearningRate => LearningRate ?? (Optimizer == OptimizerKind.AdamW ? 0.002 : 0.05);

    /// <summary>The weight decay in use: <see cref="WeightDecay"/> or the optimizer's default.</summary>
    public double EffectiveWeightDecay => WeightDecay ?? (Optimizer == OptimizerKind.AdamW ? 0.05 : 4e-5);

    /// <summary>Checks every field.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names it.</exception>
    public void Validate()
    {
        Range(Epochs, 1, 100_000, nameof(Epochs));
        Range(BatchSize, 1, 65_536, nameof(BatchSize));
        if (!Enum.IsDefined(Optimizer))
        {
            throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "Unknown optimizer.");
        }

        if (!Enum.IsDefined(Augmentation))
        {
            throw new ArgumentOutOfRangeException(nameof(Augmentation), Augmentation, "Unknown augmentation.");
        }

        Guard.PositiveSingle(EffectiveLearningRate, nameof(LearningRate));
        if (!(Momentum is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
        }

        if (Nesterov && Optimizer == OptimizerKind.Sgd && Momentum == 0)
        {
            throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(Nesterov));
        }

        if (!(EffectiveWeightDecay is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), EffectiveWeightDecay, "WeightDecay must be in [0, 1).");
        }

        if (!(WarmupEpochs >= 0 && WarmupEpochs <= Epochs))
        {
            throw new ArgumentOutOfRangeException(nameof(WarmupEpochs), WarmupEpochs, $"WarmupEpochs must be in [0, Epochs = {Epochs}].");
        }

        Guard.Probability(LabelSmoothing, nameof(LabelSmoothing));
        if (EmaDecay is double ema && !(ema is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(EmaDecay), ema, "EmaDecay must be in (0, 1).");
        }

        if (GradientClipNorm is double clip)
        {
            Guard.PositiveSingle(clip, nameof(GradientClipNorm));
        }

        if (Resolution is int resolution)
        {
            Range(resolution, 1, 4096, nameof(Resolution));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(FreezeStages);
        if (UnfreezeAfterEpochs is int unfreeze)
        {
            Range(unfreeze, 0, Epochs, nameof(UnfreezeAfterEpochs));
        }
    }

    /// <summary>The learning rate at an optimizer step: linear warm-up, then cosine decay to 0 at the last step.</summary>
    /// <param name="step">The step, from 0.</param>
    /// <param name="stepsPerEpoch">Steps in one epoch.</param>
    public double LearningRateAt(long step, int stepsPerEpoch)
    {
        double peak = EffectiveLearningRate;
        long total = (long)Epochs * stepsPerEpoch;
        long warmup = (long)Math.Round(WarmupEpochs * stepsPerEpoch);
        if (step < warmup)
        {
            return peak * (step + 1) / warmup;
        }

        double progress = total > warmup ? (double)(step - warmup) / (total - warmup) : 1;
        return peak * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(progress, 1)));
    }

    private static void Range(int value, int minimum, int maximum, string name)
    {
        if (value < minimum || value > maximum)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{minimum:N0}, {maximum:N0}].");
        }
    }
}
