using EfficientNet.Sharp.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Data;

/// <summary>
/// Turns a <see cref="RawImage"/> into a network input: an optional random view (<see cref="Augmentation"/>),
/// resized bilinearly to <see cref="Resolution"/> × <see cref="Resolution"/>, converted to <see cref="Channels"/>
/// channels (grey is repeated to RGB; RGB becomes grey by ITU-R 601 luma, as PIL's <c>convert("L")</c>), scaled to
/// [0, 1] and normalised by <see cref="Mean"/> and <see cref="Std"/>.
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

    /// <summary>Writes the transformed image, C × R × R, into <paramref name="destination"/>; <see cref="Validate"/> must have passed.</summary>
    internal void Render(RawImage image, Random? random, Span<float> destination)
    {
        if (Augmentation != Augmentation.None && random is null)
        {
            throw new ArgumentNullException(nameof(random), $"{Augmentation} needs a random generator.");
        }

        (double left, double top, double width, double height) = ChooseView(image, random);
        bool mirror = Augmentation != Augmentation.None && HorizontalFlip && random!.Next(2) == 1;
        int r = Resolution;
        int plane = r * r;
        double stepX = width / r;
        double stepY = height / r;
        Span<float> sample = stackalloc float[3];

        // The per-channel constants, looked up once per image rather than through the lists for every pixel.
        Span<float> mean = stackalloc float[Channels];
        Span<float> std = stackalloc float[Channels];
        for (int c = 0; c < Channels; c++)
        {
            mean[c] = PerChannel(Mean, c);
            std[c] = PerChannel(Std, c);
        }

        for (int oy = 0; oy < r; oy++)
        {
            double sy = top + ((oy + 0.5) * stepY) - 0.5;
            for (int ox = 0; ox < r; ox++)
            {
                int column = mirror ? r - 1 - ox : ox;
                double sx = left + ((column + 0.5) * stepX) - 0.5;
                Sample(image, sx, sy, sample);
                int at = (oy * r) + ox;
                if (Channels == 1)
                {
                    float grey = image.Channels == 1 ? sample[0] : (0.299f * sample[0]) + (0.587f * sample[1]) + (0.114f * sample[2]);
                    destination[at] = ((grey / 255f) - mean[0]) / std[0];
                    continue;
                }

                for (int c = 0; c < 3; c++)
                {
                    float value = image.Channels == 1 ? sample[0] : sample[c];
                    destination[(c * plane) + at] = ((value / 255f) - mean[c]) / std[c];
                }
            }
        }
    }

    /// <summary>The source rectangle the output covers, in source pixels; it may reach outside the image (black there).</summary>
    private (double Left, double Top, double Width, double Height) ChooseView(RawImage image, Random? random)
    {
        switch (Augmentation)
        {
            case Augmentation.None:
                return CentredSquare(image);
            case Augmentation.PadAndCrop:
            {
                (double left, double top, double side, _) = CentredSquare(image);
                int maxShift = (int)Math.Round(PadFraction * Resolution);
                double pixel = side / Resolution;
                return (left + (random!.Next(-maxShift, maxShift + 1) * pixel), top + (random.Next(-maxShift, maxShift + 1) * pixel), side, side);
            }

            case Augmentation.RandomResizedCrop:
                return RandomResizedCrop(image, random!);
            default:
                throw new NotSupportedException($"Augmentation {Augmentation} is not handled.");
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

    /// <summary>Bilinear sample at (x, y), edges clamped; black more than half a pixel outside the image.</summary>
    private static void Sample(RawImage image, double x, double y, Span<float> result)
    {
        int channels = image.Channels;
        if (x < -0.5 || y < -0.5 || x > image.Width - 0.5 || y > image.Height - 0.5)
        {
            result[..channels].Clear();
            return;
        }

        x = Math.Clamp(x, 0, image.Width - 1);
        y = Math.Clamp(y, 0, image.Height - 1);
        int x0 = (int)x, y0 = (int)y;
        int x1 = Math.Min(x0 + 1, image.Width - 1), y1 = Math.Min(y0 + 1, image.Height - 1);
        float fx = (float)(x - x0), fy = (float)(y - y0);
        byte[] p = image.Pixels;
        int stride = image.Width * channels;
        for (int c = 0; c < channels; c++)
        {
            float top = (p[(y0 * stride) + (x0 * channels) + c] * (1 - fx)) + (p[(y0 * stride) + (x1 * channels) + c] * fx);
            float bottom = (p[(y1 * stride) + (x0 * channels) + c] * (1 - fx)) + (p[(y1 * stride) + (x1 * channels) + c] * fx);
            result[c] = (top * (1 - fy)) + (bottom * fy);
        }
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
