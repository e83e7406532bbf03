using System.Globalization;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Inference;

/// <summary>
/// The evaluation preprocessing a checkpoint was measured with: resize the shorter side to
/// <see cref="ResizeSize"/>, center-crop <see cref="CropSize"/> × <see cref="CropSize"/>,
/// scale to [0, 1], then normalise each channel by <see cref="Mean"/> and <see cref="Std"/>. The one record
/// of preprocessing: training views, evaluation, classification, ONNX metadata and the deploy package all read it, and
/// <see cref="ImagePreparation"/> applies it.
/// <see cref="Resize"/> = <see cref="ResizeMode.Stretch"/> resizes the whole image to the crop size instead.
/// </summary>
public sealed record EvalTransform
{
    /// <summary>Creates the <see cref="EvalTransform"/> from each of its values.</summary>
    /// <param name="ResizeSize">Shorter side after resizing, in pixels.</param>
    /// <param name="CropSize">Side of the square center crop, in pixels (the network's input size).</param>
    /// <param name="Interpolation">Resampling used by the resize.</param>
    /// <param name="Mean">Per-channel mean (R, G, B) subtracted after scaling to [0, 1].</param>
    /// <param name="Std">Per-channel standard deviation (R, G, B) divided by.</param>
    public EvalTransform(int ResizeSize, int CropSize, Interpolation Interpolation, IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
    {
        this.ResizeSize = ResizeSize;
        this.CropSize = CropSize;
        this.Interpolation = Interpolation;
        this.Mean = Mean;
        this.Std = Std;
    }

    /// <summary>Resampling used by the resize.</summary>
    public Interpolation Interpolation { get; init; }

    /// <summary>Shorter side after resizing, in pixels (at least 1).</summary>
    public int ResizeSize
    {
        get => resizeSize;
        init => resizeSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(ResizeSize), value, "The resize size must be at least 1 pixel.");
    }

    private readonly int resizeSize;

    /// <summary>Side of the square center crop, in pixels: the network's input size (at least 1).</summary>
    public int CropSize
    {
        get => cropSize;
        init => cropSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(CropSize), value, "The crop size must be at least 1 pixel.");
    }

    private readonly int cropSize;

    /// <summary>Per-channel mean subtracted after scaling to [0, 1]: R, G, B, or one value for a grey input (<see cref="Channels"/> = 1).</summary>
    public IReadOnlyList<float> Mean
    {
        get => mean;
        init => mean = value is { Count: 1 or 3 } && value.All(float.IsFinite) ? new ValueList<float>(value)
            : throw new ArgumentException($"The mean needs one finite value per channel (R, G, B, or one for grey); got [{string.Join(", ", value ?? [])}].", nameof(Mean));
    }

    // Lists equal by their values, so the compiler's record equality covers every field.
    private readonly ValueList<float> mean = new([]);

    /// <summary>Per-channel standard deviation divided by (R, G, B, or one value for grey); every value positive.</summary>
    public IReadOnlyList<float> Std
    {
        get => std;
        init => std = value is { Count: 1 or 3 } && value.All(v => v > 0 && float.IsFinite(v)) ? new ValueList<float>(value)
            : throw new ArgumentException($"The std needs one positive value per channel (R, G, B, or one for grey); got [{string.Join(", ", value ?? [])}].", nameof(Std));
    }

    private readonly ValueList<float> std = new([]);

    /// <summary>
    /// Channels of the network's input: 3 (RGB, the default) or 1 (grey, as ITU-R 601 luma — PIL's <c>convert("L")</c> — of a
    /// colour image). <see cref="Mean"/> and <see cref="Std"/> hold one value per channel.
    /// </summary>
    public int Channels
    {
        get => channels;
        init => channels = value is 1 or 3 ? value : throw new ArgumentOutOfRangeException(nameof(Channels), value, "An input has 1 (grey) or 3 (RGB) channels.");
    }

    private readonly int channels = 3;

    /// <summary>ImageNet's channel means, as torchvision and timm use them.</summary>
    public static IReadOnlyList<float> ImageNetMean { get; } = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet's channel standard deviations.</summary>
    public static IReadOnlyList<float> ImageNetStd { get; } = [0.229f, 0.224f, 0.225f];

    /// <summary>How the image reaches <see cref="CropSize"/> × <see cref="CropSize"/>; shorter side then center crop unless set.</summary>
    public ResizeMode Resize { get; init; } = ResizeMode.ShorterSideThenCenterCrop;

    /// <summary>
    /// Whether resized pixels are truncated to whole 8-bit levels before normalising, as happens when the
    /// resized image is stored as bytes (a quantized TFLite model's uint8 input).
    /// </summary>
    public bool TruncateToBytes { get; init; }

    /// <summary>
    /// The preprocessing of TFLite image classifiers: the whole image resized to <paramref name="size"/> ×
    /// <paramref name="size"/> with TFLite's bilinear resize, truncated to bytes, then normalised.
    /// </summary>
    /// <param name="size">The model's input size.</param>
    /// <param name="mean">Per-channel mean on the [0, 1] scale.</param>
    /// <param name="std">Per-channel standard deviation on the [0, 1] scale.</param>
    /// <returns>The transform.</returns>
    public static EvalTransform TensorFlowLite(int size, IReadOnlyList<float> mean, IReadOnlyList<float> std) =>
        new(size, size, Interpolation.BilinearHalfPixel, mean, std) { Resize = ResizeMode.Stretch, TruncateToBytes = true };

    /// <summary>The usual ImageNet transform with the given sizes and resampling.</summary>
    /// <param name="resizeSize">Shorter side after resizing.</param>
    /// <param name="cropSize">Side of the center crop.</param>
    /// <param name="interpolation">Resampling.</param>
    /// <returns>The transform.</returns>
    public static EvalTransform ImageNet(int resizeSize, int cropSize, Interpolation interpolation) =>
        new(resizeSize, cropSize, interpolation, ImageNetMean, ImageNetStd);

    /// <summary>Checks that <see cref="Mean"/> and <see cref="Std"/> have one value per channel.</summary>
    /// <exception cref="ArgumentException">They do not.</exception>
    public void Validate()
    {
        if (Mean.Count != Channels || Std.Count != Channels)
        {
            throw new ArgumentException($"A {Channels}-channel transform needs {Channels} mean and std values; it has {Mean.Count} and {Std.Count}.", nameof(Mean));
        }
    }

    /// <summary>The resampling's name in messages and reports.</summary>
    private static string InterpolationName(Interpolation interpolation) => interpolation switch
    {
        Interpolation.Bilinear => "bilinear",
        Interpolation.Bicubic => "bicubic",
        Interpolation.BilinearHalfPixel => "bilinear, half-pixel centres",
        _ => throw new ArgumentOutOfRangeException(nameof(interpolation), interpolation, "Unknown interpolation."),
    };

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{(Resize == ResizeMode.Stretch ? $"stretch to {CropSize}" : $"resize {ResizeSize}")} ({InterpolationName(Interpolation)}){(Resize == ResizeMode.Stretch ? "" : $", crop {CropSize}")}{(TruncateToBytes ? ", bytes" : "")}{(Channels == 1 ? ", grey" : "")}, mean [{string.Join(", ", Mean)}], std [{string.Join(", ", Std)}]");
}
