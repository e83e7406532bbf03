using EfficientNet.Sharp.Inference;
using EfficientNet.Sharp.Inference.Resampling;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Data;

/// <summary>
/// Turns a <see cref="RawImage"/> into a network input: an optional random view (<see cref="Augmentation"/>),
/// resized (antialiased bilinear, the library's one resampler) to <see cref="Resolution"/> × <see cref="Resolution"/>,
/// converted to <see cref="Channels"/> channels (grey is repeated to RGB; RGB becomes grey by ITU-R 601 luma, as PIL's
/// <c>convert("L")</c>), scaled to [0, 1] and normalised by <see cref="Mean"/> and <see cref="Std"/>. Without
/// augmentation it is <see cref="Evaluation"/>, the preprocessing checkpoints record and exports carry.
/// </summary>
public sealed record ImageTransform
{
    /// <summary>Output side in pixels (the network's resolution), 1 to 4096.</summary>
    public required int Resolution { get; init; }

    /// <summary>Output channels: the network's input channels, 1 or 3.</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Per output channel (or one value for all), subtracted after scaling to [0, 1]; default ImageNet's.</summary>
    public IReadOnlyList<float> Mean { get; init; } = EvalTransform.ImageNetMean;

    /// <summary>Per output channel (or one value for all), divided by after subtracting the mean; default ImageNet's.</summary>
    public IReadOnlyList<float> Std { get; init; } = EvalTransform.ImageNetStd;

    /// <summary>The random view for training; <see cref="Augmentation.None"/> for evaluation.</summary>
    public Augmentation Augmentation { get; init; } = Augmentation.None;

    /// <summary>Whether an augmented view is also mirrored left to right with probability ½ (default yes).</summary>
    public bool HorizontalFlip { get; init; } = true;

    /// <summary>The largest shift of <see cref="Augmentation.PadAndCrop"/>, as a fraction of the side (default 1/8: 4 pixels at 32).</summary>
    public double PadFraction { get; init; } = 0.125;

    /// <summary>The evaluation view's side as a fraction of the image's shorter side (default 1: the whole centred square).</summary>
    public double CropFraction { get; init; } = 1.0;

    /// <summary>The same transform without augmentation: what validation and evaluation use.</summary>
    public ImageTransform ForEvaluation() => this with { Augmentation = Augmentation.None };

    /// <summary>Checks every field.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Resolution is < 1 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(Resolution), Resolution, "Resolution must be in [1, 4096].");
        }

        if (Channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "Channels must be 1 or 3.");
        }

        CheckPerChannel(Mean, nameof(Mean), positive: false);
        CheckPerChannel(Std, nameof(Std), positive: true);
        if (!Enum.IsDefined(Augmentation))
        {
            throw new ArgumentOutOfRangeException(nameof(Augmentation), Augmentation, "Unknown augmentation.");
        }

        if (!(PadFraction is >= 0 and <= 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(PadFraction), PadFraction, "PadFraction must be in [0, 0.5].");
        }

        if (!(CropFraction is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(CropFraction), CropFraction, "CropFraction must be in (0, 1].");
        }

        if (evaluation is { } record && (record.CropSize != Resolution || record.Channels != Channels))
        {
            throw new ArgumentException($"The evaluation record makes {record.Channels} × {record.CropSize} × {record.CropSize} inputs, but this transform {Channels} × {Resolution} × {Resolution}.", nameof(Evaluation));
        }
    }

    /// <summary>Transforms one image into a <see cref="Channels"/> × R × R float tensor.</summary>
    /// <param name="image">The image.</param>
    /// <param name="random">Draws the random view; required when <see cref="Augmentation"/> is not <see cref="Augmentation.None"/>.</param>
    /// <returns>The tensor; the caller owns it.</returns>
    public Tensor Apply(RawImage image, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        Validate();
        LibTorch.EnsureAvailable();
        float[] values = new float[Channels * Resolution * Resolution];
        Render(image, random, values);
        return torch.tensor(values, [Channels, Resolution, Resolution]);
    }

    /// <summary>
    /// The preprocessing of evaluation (and of a deployed model): the centred square of <see cref="CropFraction"/> of the
    /// shorter side, resized to <see cref="Resolution"/> with antialiased bilinear resampling. Checkpoints record it, and
    /// an export of the checkpoint carries it, so a deployed network sees images as it was validated on them.
    /// </summary>
    /// <remarks>Set it to evaluate with another record (a published checkpoint's resize and crop, for example); its crop size and channels must be this transform's.</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public EvalTransform Evaluation
    {
        get => evaluation ?? new(
            (int)Math.Round(Resolution / CropFraction, MidpointRounding.AwayFromZero),
            Resolution,
            Interpolation.Bilinear,
            [.. Enumerable.Range(0, Channels).Select(c => PerChannel(Mean, c))],
            [.. Enumerable.Range(0, Channels).Select(c => PerChannel(Std, c))])
        {
            Channels = Channels,
        };
        init => evaluation = value;
    }

    private readonly EvalTransform? evaluation;

    /// <summary>A transform that evaluates (and trains, without augmentation) exactly as <paramref name="preprocessing"/> prepares images.</summary>
    /// <param name="preprocessing">The record, for example a checkpoint's or a published checkpoint's.</param>
    /// <returns>The transform.</returns>
    public static ImageTransform From(EvalTransform preprocessing)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        preprocessing.Validate();
        return new ImageTransform
        {
            Resolution = preprocessing.CropSize,
            Channels = preprocessing.Channels,
            Mean = preprocessing.Mean,
            Std = preprocessing.Std,
            Evaluation = preprocessing,
        };
    }

    /// <summary>Writes the transformed image, C × R × R, into <paramref name="destination"/>; <see cref="Validate"/> must have passed.</summary>
    internal void Render(RawImage image, Random? random, Span<float> destination)
    {
        if (Augmentation != Augmentation.None && random is null)
        {
            throw new ArgumentNullException(nameof(random), $"{Augmentation} needs a random generator.");
        }

        var pixels = new ImagePixels(image.Pixels, image.Width, image.Height, image.Channels, image.Channels);
        if (Augmentation == Augmentation.None)
        {
            ImagePreparation.Prepare(pixels, Evaluation, destination);
            return;
        }

        // A random view of the image (it may reach outside it: black there), mirrored or not, through the one resampler.
        (double left, double top, double width, double height) = ChooseView(image, random!);
        bool mirror = HorizontalFlip && random!.Next(2) == 1;
        AxisTaps columns = AxisTaps.Compute(image.Width, left, width, Resolution, ResampleFilter.Triangle);
        AxisTaps rows = AxisTaps.Compute(image.Height, top, height, Resolution, ResampleFilter.Triangle);
        EvalTransform evaluation = Evaluation;
        ImagePreparation.Render(pixels, columns, rows, mirror, Channels, evaluation.Mean, evaluation.Std, truncateToBytes: false, destination);
    }

    /// <summary>The source rectangle an augmented view covers, in source pixels; it may reach outside the image.</summary>
    private (double Left, double Top, double Width, double Height) ChooseView(RawImage image, Random random)
    {
        switch (Augmentation)
        {
            case Augmentation.PadAndCrop:
            {
                (double left, double top, double side, _) = CentredSquare(image);
                int maxShift = (int)Math.Round(PadFraction * Resolution);
                double pixel = side / Resolution;
                return (left + (random.Next(-maxShift, maxShift + 1) * pixel), top + (random.Next(-maxShift, maxShift + 1) * pixel), side, side);
            }

            case Augmentation.RandomResizedCrop:
                return RandomResizedCrop(image, random);
            case Augmentation.None:
            default:
                throw new NotSupportedException($"Augmentation {Augmentation} has no random view.");
        }
    }

    private (double Left, double Top, double Width, double Height) CentredSquare(RawImage image)
    {
        double side = Math.Min(image.Width, image.Height) * CropFraction;
        return ((image.Width - side) / 2, (image.Height - side) / 2, side, side);
    }

    /// <summary>torchvision's <c>RandomResizedCrop.get_params</c>: ten tries at a random area and aspect, then a centred crop.</summary>
    private static (double Left, double Top, double Width, double Height) RandomResizedCrop(RawImage image, Random random)
    {
        double area = (double)image.Width * image.Height;
        double logLow = Math.Log(3.0 / 4), logHigh = Math.Log(4.0 / 3);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * (0.08 + (random.NextDouble() * 0.92));
            double aspect = Math.Exp(logLow + (random.NextDouble() * (logHigh - logLow)));
            int w = (int)Math.Round(Math.Sqrt(target * aspect));
            int h = (int)Math.Round(Math.Sqrt(target / aspect));
            if (w > 0 && h > 0 && w <= image.Width && h <= image.Height)
            {
                return (random.Next(image.Width - w + 1), random.Next(image.Height - h + 1), w, h);
            }
        }

        double ratio = (double)image.Width / image.Height;
        (double width, double height) = ratio < 3.0 / 4 ? ((double)image.Width, image.Width / (3.0 / 4))
            : ratio > 4.0 / 3 ? (image.Height * (4.0 / 3), (double)image.Height)
            : ((double)image.Width, (double)image.Height);
        return ((image.Width - width) / 2, (image.Height - height) / 2, width, height);
    }

    private static float PerChannel(IReadOnlyList<float> values, int channel) => values.Count == 1 ? values[0] : values[channel];

    private void CheckPerChannel(IReadOnlyList<float>? values, string name, bool positive)
    {
        if (values is null || (values.Count != 1 && values.Count != Channels))
        {
            throw new ArgumentException($"{name} needs 1 or {Channels} values, not {values?.Count ?? 0}.", name);
        }

        if (values.Any(v => !float.IsFinite(v) || (positive && v <= 0)))
        {
            throw new ArgumentOutOfRangeException(name, $"{name} values must be finite{(positive ? " and greater than 0" : "")}.");
        }
    }
}
