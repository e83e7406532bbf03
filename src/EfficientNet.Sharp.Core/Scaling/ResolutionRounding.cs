namespace EfficientNet.Sharp.Scaling;

/// <summary>
/// The one rule that turns a scaled resolution into pixels, wherever φ or a multiplier scales one: the nearest
/// multiple of 4 (halves away from zero), as the EfficientNet ladder's sizes are (224, 240, 260, …, 600).
/// </summary>
internal static class ResolutionRounding
{
    /// <summary>The multiple every scaled resolution is rounded to.</summary>
    public const int Multiple = 4;

    /// <summary>The nearest multiple of <see cref="Multiple"/> to <paramref name="pixels"/>.</summary>
    public static int Nearest(double pixels) => Multiple * (int)Math.Round(pixels / Multiple, MidpointRounding.AwayFromZero);
}
