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
    private protected override NetworkSpec Preset => NetworkPresets.MobileNetV1;

    /// <inheritdoc />
    private protected override void ApplyWidth(double widthMultiplier) => width = widthMultiplier;

    /// <inheritdoc />
    private protected override void ApplyResolution(int pixels) => resolution = pixels;

    /// <summary>MobileNetV1 truncates channel counts: α must leave the 32-channel stem one channel (α ≥ 1/32).</summary>
    private protected override void CheckFamilyWidth(double widthMultiplier)
    {
        if (ChannelRounding.Truncate(NetworkPresets.MobileNetV1.Stem.OutChannels, widthMultiplier) < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(widthMultiplier), widthMultiplier, "The width multiplier α must be at least 1/32, so that the 32-channel stem keeps one channel.");
        }
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
