using System.Globalization;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Scaling;

/// <summary>
/// Builds MobileNetV1 networks from <see cref="NetworkPresets.MobileNetV1"/> with the paper's two
/// hyper-parameters: the width multiplier α (every channel count becomes ⌊c · α⌋, Keras' rule, which
/// TensorFlow's released checkpoints use) and the resolution ρ (the input size).
/// </summary>
public sealed class MobileNetV1Builder : NetworkBuilder<MobileNetV1Builder>
{
    private double width = 1.0;
    private int resolution = NetworkPresets.BaselineResolution;
    private ActivationKind activation = ActivationKind.ReLU;

    /// <summary>Sets the width multiplier α (default 1.0; the published models use 0.25, 0.5, 0.75 and 1.0).</summary>
    /// <param name="alpha">A finite number &gt; 0 that leaves every layer at least one channel (α ≥ 1/32).</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite or leaves a layer with no channels.</exception>
    public MobileNetV1Builder WithWidth(double alpha)
    {
        if (double.IsFinite(alpha) && alpha > 0)
        {
            ScaleLimits.Width(NetworkPresets.MobileNetV1, alpha, nameof(alpha), alpha);
        }

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
        Guard.MinimumResolution(pixels, NetworkPresets.MobileNetV1.TotalStride, nameof(pixels));
        return With(b => b.resolution = pixels);
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

    /// <inheritdoc />
    /// <remarks>The class count defaults to 1000; TensorFlow's checkpoints have 1001, with a background class. Dropout defaults to Keras' 0.001.</remarks>
    public override NetworkSpec BuildSpec()
    {
        NetworkSpec baseline = NetworkPresets.MobileNetV1;
        int Scale(int channels) => ChannelRounding.Truncate(channels, width);
        return WithSharedOptions(baseline with
        {
            Name = $"{baseline.Name}_{width.ToString("0.###", CultureInfo.InvariantCulture)}_{resolution}",
            Resolution = resolution,
            Stem = baseline.Stem with { OutChannels = Scale(baseline.Stem.OutChannels), Activation = activation },
            Stages = baseline.Stages
                .Select(stage => stage with { InChannels = Scale(stage.InChannels), OutChannels = Scale(stage.OutChannels), Activation = activation })
                .ToArray(),
            Scaling = new ScalingSpec(ScalingRule.Baseline, null, width, 1.0, resolution / (double)NetworkPresets.BaselineResolution, null),
        });
    }
}
