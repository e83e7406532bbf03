using System.Globalization;

namespace EfficientNet.Sharp.Inference;

/// <summary>
/// The evaluation preprocessing a checkpoint was measured with: resize the shorter side to
/// <paramref name="ResizeSize"/>, center-crop <paramref name="CropSize"/> × <paramref name="CropSize"/>,
/// scale to [0, 1], then normalise each channel by <paramref name="Mean"/> and <paramref name="Std"/>.
/// </summary>
/// <param name="ResizeSize">Shorter side after resizing, in pixels.</param>
/// <param name="CropSize">Side of the square center crop, in pixels (the network's input size).</param>
/// <param name="Interpolation">Resampling used by the resize.</param>
/// <param name="Mean">Per-channel mean (R, G, B) subtracted after scaling to [0, 1].</param>
/// <param name="Std">Per-channel standard deviation (R, G, B) divided by.</param>
public sealed record EvalTransform(int ResizeSize, int CropSize, Interpolation Interpolation, IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    /// <summary>ImageNet's channel means, as torchvision and timm use them.</summary>
    public static IReadOnlyList<float> ImageNetMean { get; } = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet's channel standard deviations.</summary>
    public static IReadOnlyList<float> ImageNetStd { get; } = [0.229f, 0.224f, 0.225f];

    /// <summary>The usual ImageNet transform with the given sizes and resampling.</summary>
    /// <param name="resizeSize">Shorter side after resizing.</param>
    /// <param name="cropSize">Side of the center crop.</param>
    /// <param name="interpolation">Resampling.</param>
    /// <returns>The transform.</returns>
    public static EvalTransform ImageNet(int resizeSize, int cropSize, Interpolation interpolation) =>
        new(resizeSize, cropSize, interpolation, ImageNetMean, ImageNetStd);

    /// <inheritdoc />
    public bool Equals(EvalTransform? other) =>
        other is not null && ResizeSize == other.ResizeSize && CropSize == other.CropSize && Interpolation == other.Interpolation
        && Mean.SequenceEqual(other.Mean) && Std.SequenceEqual(other.Std);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(ResizeSize, CropSize, Interpolation, Mean.Count > 0 ? Mean[0] : 0, Std.Count > 0 ? Std[0] : 0);

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"resize {ResizeSize} ({Interpolation.ToString().ToLowerInvariant()}), crop {CropSize}, mean [{string.Join(", ", Mean)}], std [{string.Join(", ", Std)}]");
}
