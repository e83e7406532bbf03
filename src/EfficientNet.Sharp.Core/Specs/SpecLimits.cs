namespace EfficientNet.Sharp.Specs;

/// <summary>
/// The largest networks a spec may describe. Far beyond any published network (B7: 600 px, 2,560 head
/// channels, 13 blocks in its longest stage), they exist so that an absurd scale (<c>--width 1e6</c>,
/// <c>--phi 1e9</c>) is refused with a message instead of overflowing a 32-bit size or asking for petabytes.
/// </summary>
internal static class SpecLimits
{
    /// <summary>Channels of any layer.</summary>
    public const int MaxChannels = 65_536;

    /// <summary>Input side in pixels.</summary>
    public const int MaxResolution = 8_192;

    /// <summary>Blocks in one stage.</summary>
    public const int MaxRepeats = 1_024;

    /// <summary>Classifier outputs.</summary>
    public const int MaxClasses = 1_000_000;

    /// <summary>Throws when <paramref name="value"/> (a channel count, pixels, repeats, computed in double so it cannot wrap) exceeds <paramref name="limit"/>.</summary>
    public static void Check(double value, int limit, string what, string parameterName, object? actualValue)
    {
        if (!(value <= limit))
        {
            string amount = double.IsFinite(value) ? value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "unboundedly many";
            throw new ArgumentOutOfRangeException(parameterName, actualValue, $"{parameterName} = {Convert.ToString(actualValue, System.Globalization.CultureInfo.InvariantCulture)} gives {amount} {what}; a network may have at most {limit:N0}.");
        }
    }
}
