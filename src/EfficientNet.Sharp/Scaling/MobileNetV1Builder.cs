using System.Globalization;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Scaling;

/// <summary>
/// Builds MobileNetV1 networks from <see cref="NetworkPresets.MobileNetV1"/> with the paper's two
/// hyper-parameters: the width multiplier α (every channel count becomes ⌊c · α⌋, Keras' rule, which
/// TensorFlow's released checkpoints use) and the resolution ρ (the input size). Immutable: every
/// <c>With…</c> method returns a new builder.
/// </summary>
public sealed class MobileNetV1Builder
{
    private double width = 1.0;
    private int resolution = NetworkPresets.BaselineResolution;
    private int numClasses = 1000;
    private double dropout = NetworkPresets.MobileNetV1.Classifier.Dropout;
    private ActivationKind activation = ActivationKind.ReLU;
    private int inputChannels = 3;
    private BatchNormSpec batchNorm = BatchNormSpec.PyTorchDefault;

    /// <summary>Sets the width multiplier α (default 1.0; the published models use 0.25, 0.5, 0.75 and 1.0).</summary>
    /// <param name="alpha">A finite number &gt; 0 that leaves every layer at least one channel (α ≥ 1/32).</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite or leaves a layer with no channels.</exception>
    public MobileNetV1Builder WithWidth(double alpha)
    {
        if (!double.IsFinite(alpha) || ChannelRounding.Truncate(NetworkPresets.MobileNetV1.Stem.OutChannels, alpha) < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The width multiplier α must be finite and at least 1/32, so that the 32-channel stem keeps one channel.");
        }

        return With(b => b.width = alpha);
    }

    /// <summary>Sets the input resolution ρ in pixels (default 224; the published models use 128, 160, 192 and 224).</summary>
    /// <param name="pixels">At least 32 (the network's total stride).</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pixels"/> is below 32.</exception>
    public MobileNetV1Builder WithResolution(int pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels, NetworkPresets.MobileNetV1.TotalStride);
        return With(b => b.resolution = pixels);
    }

    /// <summary>Sets the number of classes (default 1000; TensorFlow's checkpoints have 1001, with a background class).</summary>
    /// <param name="numClasses">At least 1.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is below 1.</exception>
    public MobileNetV1Builder WithNumClasses(int numClasses)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        return With(b => b.numClasses = numClasses);
    }

    /// <summary>Sets the classifier dropout (default 0.001, Keras' default).</summary>
    /// <param name="dropout">Probability in [0, 1).</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dropout"/> is outside [0, 1).</exception>
    public MobileNetV1Builder WithDropout(double dropout)
    {
        if (!(dropout is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "The dropout must be a probability in [0, 1).");
        }

        return With(b => b.dropout = dropout);
    }

    /// <summary>Sets the activation of every layer: ReLU as in the paper (default), or ReLU6 as TensorFlow's releases use.</summary>
    /// <param name="activation">Any activation except <see cref="ActivationKind.Identity"/>.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is Identity or undefined.</exception>
    public MobileNetV1Builder WithActivation(ActivationKind activation)
    {
        if (activation == ActivationKind.Identity || !Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "MobileNetV1 needs a non-linear activation (ReLU or ReLU6).");
        }

        return With(b => b.activation = activation);
    }

    /// <summary>Sets the number of input channels (default 3).</summary>
    /// <param name="channels">At least 1.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is below 1.</exception>
    public MobileNetV1Builder WithInputChannels(int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        return With(b => b.inputChannels = channels);
    }

    /// <summary>Sets the BatchNorm settings (default PyTorch's).</summary>
    /// <param name="batchNorm">The settings for every BatchNorm layer.</param>
    /// <returns>A new builder.</returns>
    public MobileNetV1Builder WithBatchNorm(BatchNormSpec batchNorm)
    {
        ArgumentNullException.ThrowIfNull(batchNorm);
        return With(b => b.batchNorm = batchNorm);
    }

    /// <summary>Computes the architecture without allocating any tensor.</summary>
    /// <returns>The validated spec.</returns>
    public NetworkSpec BuildSpec()
    {
        NetworkSpec baseline = NetworkPresets.MobileNetV1;
        int Scale(int channels) => ChannelRounding.Truncate(channels, width);
        NetworkSpec spec = baseline with
        {
            Name = $"{baseline.Name}_{width.ToString("0.###", CultureInfo.InvariantCulture)}_{resolution}",
            Resolution = resolution,
            InputChannels = inputChannels,
            Stem = baseline.Stem with { OutChannels = Scale(baseline.Stem.OutChannels), Activation = activation },
            Stages = baseline.Stages
                .Select(stage => stage with { InChannels = Scale(stage.InChannels), OutChannels = Scale(stage.OutChannels), Activation = activation })
                .ToArray(),
            Classifier = baseline.Classifier with { NumClasses = numClasses, Dropout = dropout },
            BatchNorm = batchNorm,
            Scaling = new ScalingSpec(ScalingRule.Baseline, null, width, 1.0, resolution / (double)NetworkPresets.BaselineResolution, null),
        };
        spec.Validate();
        return spec;
    }

    /// <summary>Builds the network, with torchvision-style weight initialisation.</summary>
    /// <returns>A new <see cref="ConvNetwork"/> in training mode.</returns>
    public ConvNetwork Build() => new(BuildSpec());

    private MobileNetV1Builder With(Action<MobileNetV1Builder> change)
    {
        var copy = (MobileNetV1Builder)MemberwiseClone();
        change(copy);
        return copy;
    }
}
