using System.Globalization;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Scaling;

/// <summary>
/// Builds EfficientNetV2 S (the default), M or L as torchvision does, with optional width, depth and resolution
/// overrides: channels become <c>_make_divisible(channels · width, 8)</c> and repeats ⌈repeats · depth⌉, as
/// torchvision's <c>MBConvConfig</c> scales them. φ-style compound scaling of V2 is not offered.
/// </summary>
public sealed class EfficientNetV2Builder : NetworkBuilder<EfficientNetV2Builder>
{
    private NetworkSpec baseline = NetworkPresets.EfficientNetV2S;
    private double width = 1.0;
    private double depth = 1.0;
    private int? resolution;

    /// <summary>Builds EfficientNetV2-S (the default).</summary>
    /// <returns>A new builder.</returns>
    public EfficientNetV2Builder Small() => With(b => b.baseline = NetworkPresets.EfficientNetV2S);

    /// <summary>Builds EfficientNetV2-M.</summary>
    /// <returns>A new builder.</returns>
    public EfficientNetV2Builder Medium() => With(b => b.baseline = NetworkPresets.EfficientNetV2M);

    /// <summary>Builds EfficientNetV2-L.</summary>
    /// <returns>A new builder.</returns>
    public EfficientNetV2Builder Large() => With(b => b.baseline = NetworkPresets.EfficientNetV2L);

    /// <summary>Sets the depth multiplier (1.0 in the presets); repeats are rounded up.</summary>
    /// <param name="depthMultiplier">A positive multiplier.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The multiplier is not positive and finite, or makes a stage too deep.</exception>
    public EfficientNetV2Builder WithDepth(double depthMultiplier)
    {
        Guard.PositiveFinite(depthMultiplier, nameof(depthMultiplier));
        ScaleLimits.Depth(NetworkPresets.EfficientNetV2L, depthMultiplier, nameof(depthMultiplier), depthMultiplier);
        return With(b => b.depth = depthMultiplier);
    }

    /// <inheritdoc />
    private protected override NetworkSpec Preset => baseline;

    /// <inheritdoc />
    private protected override void ApplyWidth(double widthMultiplier) => width = widthMultiplier;

    /// <inheritdoc />
    private protected override void ApplyResolution(int pixels) => resolution = pixels;

    /// <inheritdoc />
    public override NetworkSpec BuildSpec()
    {
        int Adjust(int channels) => ChannelRounding.MakeDivisible(channels * width, 8);
        int pixels = resolution ?? baseline.Resolution;
        bool scaled = width != 1.0 || depth != 1.0;
        return WithSharedOptions(baseline with
        {
            Name = scaled ? string.Create(CultureInfo.InvariantCulture, $"{baseline.Name}_w{width:0.###}_d{depth:0.###}") : baseline.Name,
            Resolution = pixels,
            Stem = baseline.Stem with { OutChannels = Adjust(baseline.Stem.OutChannels) },
            Stages = [.. baseline.Stages.Select(stage => stage with
            {
                InChannels = Adjust(stage.InChannels),
                OutChannels = Adjust(stage.OutChannels),
                Repeats = ChannelRounding.RoundRepeats(stage.Repeats, depth),
            })],
            Scaling = new ScalingSpec(ScalingRule.Baseline, null, width, depth, pixels / (double)baseline.Resolution, null),
        });
    }
}
