using System.Globalization;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Scaling;

/// <summary>
/// Builds MobileNetV2 networks from <see cref="NetworkPresets.MobileNetV2"/> with torchvision's rules:
/// every channel count is width × base rounded by <see cref="ChannelRounding.MakeDivisible"/> to
/// <c>round_nearest</c> (8), and the head has make_divisible(1280 · max(1, width)) channels, so it never
/// shrinks below 1280. Immutable: every <c>With…</c> method returns a new builder.
/// </summary>
public sealed class MobileNetV2Builder
{
    private double width = 1.0;
    private int roundNearest = 8;
    private int numClasses = 1000;
    private double dropout = 0.2;
    private int resolution = NetworkPresets.BaselineResolution;
    private int inputChannels = 3;
    private BatchNormSpec batchNorm = BatchNormSpec.PyTorchDefault;

    /// <summary>Sets the width multiplier (default 1.0; the published models use 0.35…1.4).</summary>
    /// <param name="widthMultiplier">A finite number &gt; 0.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="widthMultiplier"/> is not a positive finite number.</exception>
    public MobileNetV2Builder WithWidth(double widthMultiplier)
    {
        if (!double.IsFinite(widthMultiplier) || widthMultiplier <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(widthMultiplier), widthMultiplier, "The width multiplier must be a finite number greater than 0.");
        }

        return With(b => b.width = widthMultiplier);
    }

    /// <summary>Sets the multiple that channel counts are rounded to (torchvision's <c>round_nearest</c>, default 8; 1 turns rounding off).</summary>
    /// <param name="divisor">At least 1.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="divisor"/> is below 1.</exception>
    public MobileNetV2Builder WithRoundNearest(int divisor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(divisor);
        return With(b => b.roundNearest = divisor);
    }

    /// <summary>Sets the number of classes (default 1000).</summary>
    /// <param name="numClasses">At least 1.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is below 1.</exception>
    public MobileNetV2Builder WithNumClasses(int numClasses)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        return With(b => b.numClasses = numClasses);
    }

    /// <summary>Sets the classifier dropout (default 0.2).</summary>
    /// <param name="dropout">Probability in [0, 1).</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dropout"/> is outside [0, 1).</exception>
    public MobileNetV2Builder WithDropout(double dropout)
    {
        if (!(dropout is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "The dropout must be a probability in [0, 1).");
        }

        return With(b => b.dropout = dropout);
    }

    /// <summary>Sets the input resolution the network is meant for (default 224; the published models use 96…224).</summary>
    /// <param name="pixels">At least 32 (the network's total stride).</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pixels"/> is below 32.</exception>
    public MobileNetV2Builder WithResolution(int pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels, NetworkPresets.MobileNetV2.TotalStride);
        return With(b => b.resolution = pixels);
    }

    /// <summary>Sets the number of input channels (default 3).</summary>
    /// <param name="channels">At least 1.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is below 1.</exception>
    public MobileNetV2Builder WithInputChannels(int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        return With(b => b.inputChannels = channels);
    }

    /// <summary>Sets the BatchNorm settings (default PyTorch's).</summary>
    /// <param name="batchNorm">The settings for every BatchNorm layer.</param>
    /// <returns>A new builder.</returns>
    public MobileNetV2Builder WithBatchNorm(BatchNormSpec batchNorm)
    {
        ArgumentNullException.ThrowIfNull(batchNorm);
        return With(b => b.batchNorm = batchNorm);
    }

    /// <summary>Computes the architecture without allocating any tensor.</summary>
    /// <returns>The validated spec.</returns>
    public NetworkSpec BuildSpec()
    {
        NetworkSpec baseline = NetworkPresets.MobileNetV2;
        int Round(double channels) => ChannelRounding.MakeDivisible(channels, roundNearest);
        NetworkSpec spec = baseline with
        {
            Name = width == 1.0 ? baseline.Name : $"{baseline.Name}_{width.ToString("0.###", CultureInfo.InvariantCulture)}",
            Resolution = resolution,
            InputChannels = inputChannels,
            Stem = baseline.Stem with { OutChannels = Round(baseline.Stem.OutChannels * width) },
            Stages = baseline.Stages
                .Select(stage => stage with { InChannels = Round(stage.InChannels * width), OutChannels = Round(stage.OutChannels * width) })
                .ToArray(),
            Head = baseline.Head! with { OutChannels = Round(baseline.Head.OutChannels * Math.Max(1.0, width)) },
            Classifier = baseline.Classifier with { NumClasses = numClasses, Dropout = dropout },
            BatchNorm = batchNorm,
            Scaling = new ScalingSpec(ScalingRule.Baseline, null, width, 1.0, resolution / (double)NetworkPresets.BaselineResolution, null),
        };
        spec.Validate();
        return spec;
    }

    /// <summary>Builds the network, with torchvision's weight initialisation.</summary>
    /// <returns>A new <see cref="ConvNetwork"/> in training mode.</returns>
    public ConvNetwork Build() => new(BuildSpec());

    private MobileNetV2Builder With(Action<MobileNetV2Builder> change)
    {
        var copy = (MobileNetV2Builder)MemberwiseClone();
        change(copy);
        return copy;
    }
}
