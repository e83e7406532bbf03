using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Scaling;

/// <summary>The channel-rounding rules of the reference implementations.</summary>
internal static class ChannelRounding
{
    /// <summary>
    /// Rounds <paramref name="value"/> to the nearest multiple of <paramref name="divisor"/>, never
    /// below <paramref name="minValue"/> (default: the divisor) and never more than 10% below the value.
    /// This is torchvision's <c>_make_divisible</c>, TensorFlow's and lukemelas' <c>round_filters</c>
    /// and timm's <c>make_divisible</c>: the five sources agree to the digit.
    /// </summary>
    /// <param name="value">The unrounded channel count, for example base channels × width multiplier.</param>
    /// <param name="divisor">The multiple to round to (8 in every preset); 1 disables rounding.</param>
    /// <param name="minValue">The smallest allowed result; the divisor when omitted.</param>
    /// <returns>The rounded channel count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite, or exceeds 65,536 channels.</exception>
    public static int MakeDivisible(double value, int divisor, int? minValue = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(divisor);
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "The channel count to round must be a positive finite number.");
        }

        SpecLimits.Check(value, SpecLimits.MaxChannels, "channels", nameof(value), value);
        int floor = minValue ?? divisor;
        int rounded = Math.Max(floor, (int)(value + (divisor / 2.0)) / divisor * divisor);
        if (rounded < 0.9 * value)
        {
            rounded += divisor;
        }

        return rounded;
    }

    /// <summary>
    /// Scales base channels by a width multiplier and rounds to a multiple of 8: EfficientNet's
    /// <c>round_filters</c>. The base (B0) count is multiplied, never an already scaled one.
    /// </summary>
    /// <param name="baseChannels">The B0 channel count.</param>
    /// <param name="widthMultiplier">The width multiplier w.</param>
    /// <returns>The scaled channel count.</returns>
    public static int RoundFilters(int baseChannels, double widthMultiplier) =>
        MakeDivisible(baseChannels * widthMultiplier, 8);

    /// <summary>
    /// Scales repeats by a depth multiplier, rounding up: EfficientNet's <c>round_repeats</c>
    /// (<c>ceil(d · n)</c> in every reference).
    /// </summary>
    /// <param name="baseRepeats">The B0 number of blocks in the stage.</param>
    /// <param name="depthMultiplier">The depth multiplier d.</param>
    /// <returns>The scaled number of blocks, at least 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The result would exceed 1,024 blocks.</exception>
    public static int RoundRepeats(int baseRepeats, double depthMultiplier)
    {
        SpecLimits.Check(Math.Ceiling(depthMultiplier * baseRepeats), SpecLimits.MaxRepeats, "blocks in one stage", nameof(depthMultiplier), depthMultiplier);
        return Math.Max(1, (int)Math.Ceiling(depthMultiplier * baseRepeats));
    }

    /// <summary>Keras' MobileNetV1 width rule: ⌊channels · α⌋ with no divisibility rounding.</summary>
    /// <param name="baseChannels">The α = 1 channel count.</param>
    /// <param name="widthMultiplier">The width multiplier α.</param>
    /// <returns>The truncated channel count (may be 0 for tiny α; callers validate).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The result would exceed 65,536 channels.</exception>
    public static int Truncate(int baseChannels, double widthMultiplier)
    {
        SpecLimits.Check(baseChannels * widthMultiplier, SpecLimits.MaxChannels, "channels", nameof(widthMultiplier), widthMultiplier);
        return (int)(baseChannels * widthMultiplier);
    }
}
