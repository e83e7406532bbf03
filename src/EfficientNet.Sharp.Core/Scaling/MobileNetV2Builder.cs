using System.Globalization;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Scaling;

/// <summary>
/// Builds MobileNetV2 networks from <see cref="NetworkPresets.MobileNetV2"/> with torchvision's rules:
/// every channel count is width × base rounded by <see cref="ChannelRounding.MakeDivisible"/> to
/// <c>round_nearest</c> (8), and the head has make_divisible(1280 · max(1, width)) channels, so it never
/// shrinks below 1280.
/// </summary>
public sealed class MobileNetV2Builder : NetworkBuilder<MobileNetV2Builder>
{
    private double width = 1.0;
    private int roundNearest = 8;
    private int resolution = NetworkPresets.BaselineResolution;

    /// <summary>Sets the multiple that channel counts are rounded to (torchvision's <c>round_nearest</c>, default 8; 1 turns rounding off).</summary>
    /// <param name="divisor">At least 1.</param>
    /// <returns>A new builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="divisor"/> is below 1.</exception>
    public MobileNetV2Builder WithRoundNearest(int divisor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(divisor);
        return With(b => b.roundNearest = divisor);
    }

    /// <inheritdoc />
    private protected override NetworkSpec Preset => NetworkPresets.MobileNetV2;

    /// <inheritdoc />
    private protected override void ApplyWidth(double widthMultiplier) => width = widthMultiplier;

    /// <inheritdoc />
    private protected override void ApplyResolution(int pixels) => resolution = pixels;

    /// <inheritdoc />
    public override NetworkSpec BuildSpec()
    {
        NetworkSpec baseline = NetworkPresets.MobileNetV2;
        int Round(double channels) => ChannelRounding.MakeDivisible(channels, roundNearest);
        return WithSharedOptions(baseline with
        {
            Name = width == 1.0 ? baseline.Name : $"{baseline.Name}_{width.ToString("0.###", CultureInfo.InvariantCulture)}",
            Resolution = resolution,
            Stem = baseline.Stem with { OutChannels = Round(baseline.Stem.OutChannels * width) },
            Stages = baseline.Stages
                .Select(stage => stage with { InChannels = Round(stage.InChannels * width), OutChannels = Round(stage.OutChannels * width) })
                .ToArray(),
            Head = baseline.Head! with { OutChannels = Round(baseline.Head.OutChannels * Math.Max(1.0, width)) },
            Scaling = new ScalingSpec(ScalingRule.Baseline, null, width, 1.0, resolution / (double)NetworkPresets.BaselineResolution, null),
        });
    }
}
