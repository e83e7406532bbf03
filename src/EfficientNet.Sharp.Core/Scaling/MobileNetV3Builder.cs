using System.Globalization;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Scaling;

/// <summary>
/// Builds MobileNetV3 Large or Small as torchvision does, at any width multiplier: every channel count (stem,
/// each block's input, expanded and output channels, head, hidden classifier layer) becomes
/// <c>_make_divisible(channels · width, 8)</c>.
/// </summary>
public sealed class MobileNetV3Builder : NetworkBuilder<MobileNetV3Builder>
{
    private bool small;
    private double width = 1.0;
    private int resolution = NetworkPresets.BaselineResolution;

    /// <summary>Builds MobileNetV3-Small instead of Large (the default).</summary>
    /// <returns>A new builder.</returns>
    public MobileNetV3Builder Small() => With(b => b.small = true);

    /// <summary>Builds MobileNetV3-Large (the default).</summary>
    /// <returns>A new builder.</returns>
    public MobileNetV3Builder Large() => With(b => b.small = false);

    /// <inheritdoc />
    private protected override NetworkSpec Preset => small ? NetworkPresets.MobileNetV3Small : NetworkPresets.MobileNetV3Large;

    /// <inheritdoc />
    private protected override void ApplyWidth(double widthMultiplier) => width = widthMultiplier;

    /// <inheritdoc />
    private protected override void ApplyResolution(int pixels) => resolution = pixels;

    /// <inheritdoc />
    public override NetworkSpec BuildSpec()
    {
        NetworkSpec baseline = small ? NetworkPresets.MobileNetV3Small : NetworkPresets.MobileNetV3Large;
        int Adjust(double channels) => ChannelRounding.MakeDivisible(channels * width, 8);
        StageSpec[] blocks =
        [
            .. baseline.Stages.Select(stage =>
            {
                int expanded = BlockSpec.ExpandedChannelsOf(BlockKind.MobileNetV3, stage.InChannels, stage.ExpandRatio);
                int input = Adjust(stage.InChannels);
                return stage with { InChannels = input, OutChannels = Adjust(stage.OutChannels), ExpandRatio = Adjust(expanded) / (double)input };
            }),
        ];
        return WithSharedOptions(baseline with
        {
            Name = width == 1.0 ? baseline.Name : $"{baseline.Name}_{width.ToString("0.###", CultureInfo.InvariantCulture)}",
            Resolution = resolution,
            Stem = baseline.Stem with { OutChannels = Adjust(baseline.Stem.OutChannels) },
            Stages = blocks,
            Head = baseline.Head! with { OutChannels = 6 * blocks[^1].OutChannels },
            Classifier = baseline.Classifier with { HiddenChannels = Adjust(baseline.Classifier.HiddenChannels!.Value) },
            Scaling = new ScalingSpec(ScalingRule.Baseline, null, width, 1.0, resolution / (double)NetworkPresets.BaselineResolution, null),
        });
    }
}
