namespace EfficientNet.Sharp.Inference;

/// <summary>
/// The largest images the preprocessing accepts, checked from the file's header before anything is
/// decoded. A tiny file can declare a huge image: an 86-byte 1 × 8000 PNG would otherwise be resized to
/// 256 × 2,048,000 pixels (12 GB), a 1 × 100000 one needs 79 GB.
/// </summary>
public sealed record ImageLimits
{
    /// <summary>64 megapixels and a side ratio of at most 64:1.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>Most pixels (width × height) an image may have; default 64 megapixels (a 256 MB RGBA decode).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public long MaxPixels
    {
        get => maxPixels;
        init => maxPixels = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxPixels), value, "MaxPixels must be at least 1.");
    }

    /// <summary>Most times longer one side may be than the other; default 64. The resize keeps the ratio, so it bounds the resized image too.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or not finite.</exception>
    public double MaxAspectRatio
    {
        get => maxAspectRatio;
        init => maxAspectRatio = value >= 1 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(MaxAspectRatio), value, "MaxAspectRatio must be a finite number of at least 1.");
    }

    private readonly long maxPixels = 64_000_000;
    private readonly double maxAspectRatio = 64;

    /// <summary>Throws when an image of this size is outside the limits.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="source">The image, for the message.</param>
    /// <exception cref="InvalidDataException">The image is empty, has too many pixels, or is too elongated.</exception>
    public void Check(long width, long height, string source)
    {
        if (width < 1 || height < 1)
        {
            throw new InvalidDataException($"{source} is {width} × {height} pixels: an image needs at least one pixel.");
        }

        if (width * height > MaxPixels)
        {
            throw new InvalidDataException($"{source} is {width:N0} × {height:N0} pixels ({width * height / 1e6:0.#} megapixels), over the limit of {MaxPixels / 1e6:0.#} megapixels ({nameof(ImageLimits)}.{nameof(MaxPixels)}).");
        }

        double ratio = Math.Max(width, height) / (double)Math.Min(width, height);
        if (ratio > MaxAspectRatio)
        {
            throw new InvalidDataException($"{source} is {width:N0} × {height:N0} pixels, a side ratio of {ratio:0.#}:1, over the limit of {MaxAspectRatio:0.#}:1 ({nameof(ImageLimits)}.{nameof(MaxAspectRatio)}).");
        }
    }
}
