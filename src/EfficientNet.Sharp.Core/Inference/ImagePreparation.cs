using EfficientNet.Sharp.Data;
using EfficientNet.Sharp.Inference.Resampling;
using SkiaSharp;

namespace EfficientNet.Sharp.Inference;

/// <summary>
/// Turns images into network inputs as an <see cref="EvalTransform"/> says, in managed code (no libtorch): decode
/// (upright by EXIF orientation), resize with the transform's interpolation and antialiasing, center crop (or
/// stretch), scale to [0, 1], normalise, channels first. The result is <c>Channels × CropSize × CropSize</c> floats,
/// one image of an NCHW batch. Training, evaluation, classification and the deploy package all prepare images here.
/// </summary>
// RS0026 (several overloads with optional parameters): the overloads differ by where the image comes from (a path, a
// stream, a bitmap), and each ends with the same optional limits; no overload will gain another optional parameter.
#pragma warning disable RS0026
public static class ImagePreparation
{
    /// <summary>Added before truncating to byte levels: absorbs float error in the interpolation weights, which would otherwise drop an exact level k to k − 1.</summary>
    private const float TruncationSlack = 1e-3f;

    /// <summary>Decodes an image file and prepares it.</summary>
    /// <param name="imagePath">A PNG, JPEG, BMP, GIF or WebP file.</param>
    /// <param name="transform">Sizes, resampling and normalisation.</param>
    /// <param name="limits">The largest image accepted, checked from the header before decoding; <see cref="ImageLimits.Default"/> when omitted.</param>
    /// <returns><c>transform.Channels × transform.CropSize × transform.CropSize</c> floats.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a regular file, cannot be decoded completely, or is outside <paramref name="limits"/>.</exception>
    public static float[] Prepare(string imagePath, EvalTransform transform, ImageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(transform);
        using SKBitmap bitmap = ImageFile.DecodeRgba(imagePath, limits);
        return Prepare(bitmap, transform);
    }

    /// <summary>Decodes an image from a stream (read to its end) and prepares it.</summary>
    /// <param name="image">The encoded image.</param>
    /// <param name="transform">Sizes, resampling and normalisation.</param>
    /// <param name="limits">The largest image accepted; <see cref="ImageLimits.Default"/> when omitted.</param>
    /// <returns><c>transform.Channels × transform.CropSize × transform.CropSize</c> floats.</returns>
    /// <exception cref="InvalidDataException">The data cannot be decoded completely, or is outside <paramref name="limits"/>.</exception>
    public static float[] Prepare(Stream image, EvalTransform transform, ImageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(transform);
        using SKBitmap bitmap = ImageFile.DecodeRgba(image, limits, "The image stream");
        return Prepare(bitmap, transform);
    }

    /// <summary>Prepares a decoded image.</summary>
    /// <param name="image">The image (grey or RGB).</param>
    /// <param name="transform">Sizes, resampling and normalisation.</param>
    /// <returns><c>transform.Channels × transform.CropSize × transform.CropSize</c> floats.</returns>
    public static float[] Prepare(RawImage image, EvalTransform transform)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(transform);
        float[] result = new float[OutputLength(transform)];
        Prepare(image, transform, result);
        return result;
    }

    /// <summary>Prepares a decoded image into a buffer (one image's slot of a batch, for example).</summary>
    /// <param name="image">The image (grey or RGB).</param>
    /// <param name="transform">Sizes, resampling and normalisation.</param>
    /// <param name="destination">At least <c>transform.Channels × transform.CropSize × transform.CropSize</c> floats.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static void Prepare(RawImage image, EvalTransform transform, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(transform);
        Prepare(new ImagePixels(image.Pixels, image.Width, image.Height, image.Channels, image.Channels), transform, destination);
    }

    /// <summary>Prepares a SkiaSharp bitmap of any colour type.</summary>
    /// <param name="bitmap">The image.</param>
    /// <param name="transform">Sizes, resampling and normalisation.</param>
    /// <param name="limits">The largest image accepted; <see cref="ImageLimits.Default"/> when omitted.</param>
    /// <returns><c>transform.Channels × transform.CropSize × transform.CropSize</c> floats.</returns>
    /// <exception cref="InvalidDataException">The image is outside <paramref name="limits"/>.</exception>
    /// <remarks>Colour is read unpremultiplied, as PIL's <c>convert("RGB")</c> gives it: a transparent pixel keeps its stored RGB.</remarks>
    public static float[] Prepare(SKBitmap bitmap, EvalTransform transform, ImageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        ArgumentNullException.ThrowIfNull(transform);
        (limits ?? ImageLimits.Default).Check(bitmap.Width, bitmap.Height, "The image");
        float[] result = new float[OutputLength(transform)];
        if (bitmap.ColorType == SKColorType.Rgba8888 && bitmap.AlphaType is SKAlphaType.Unpremul or SKAlphaType.Opaque)
        {
            Prepare(Pixels(bitmap), transform, result);
            return result;
        }

        using SKBitmap rgba = new(new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (!bitmap.CopyTo(rgba, SKColorType.Rgba8888))
        {
            using var canvas = new SKCanvas(rgba);
            canvas.DrawBitmap(bitmap, 0, 0);
        }

        Prepare(Pixels(rgba), transform, result);
        return result;
    }

    /// <summary>The floats one prepared image takes.</summary>
    /// <param name="transform">The transform.</param>
    /// <returns><c>Channels × CropSize × CropSize</c>.</returns>
    public static int OutputLength(EvalTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return checked(transform.Channels * transform.CropSize * transform.CropSize);
    }

    /// <summary>The RGB of an 8-bit RGBA bitmap, read in place.</summary>
    internal static unsafe ImagePixels Pixels(SKBitmap rgba) =>
        new(new ReadOnlySpan<byte>((void*)rgba.GetPixels(), rgba.ByteCount), rgba.Width, rgba.Height, channels: 3, pixelStride: 4);

    internal static void Prepare(ImagePixels pixels, EvalTransform transform, Span<float> destination)
    {
        transform.Validate();
        (AxisTaps columns, AxisTaps rows) = Taps(pixels.Width, pixels.Height, transform);
        Render(pixels, columns, rows, mirror: false, transform.Channels, transform.Mean, transform.Std, transform.TruncateToBytes, destination);
    }

    /// <summary>
    /// Resamples the taps' window, converts to <paramref name="channels"/> channels (grey repeated to RGB; RGB to grey by
    /// ITU-R 601 luma), scales to [0, 1] and normalises, into <paramref name="destination"/> (channels × rows × columns).
    /// </summary>
    internal static void Render(ImagePixels pixels, AxisTaps columns, AxisTaps rows, bool mirror, int channels, IReadOnlyList<float> mean, IReadOnlyList<float> std, bool truncateToBytes, Span<float> destination)
    {
        int plane = columns.Length * rows.Length;
        if (destination.Length < channels * plane)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; {channels} × {rows.Length} × {columns.Length} are needed.", nameof(destination));
        }

        float[] resampled = new float[pixels.Channels * plane];
        Resampler.Resample(pixels, columns, rows, mirror, resampled);
        if (truncateToBytes)
        {
            // Back to byte levels, truncated like a cast to uint8 (a quantized TFLite model's input).
            for (int i = 0; i < resampled.Length; i++)
            {
                resampled[i] = MathF.Floor(resampled[i] + TruncationSlack);
            }
        }

        for (int c = 0; c < channels; c++)
        {
            float channelMean = mean[c], channelStd = std[c];
            Span<float> output = destination.Slice(c * plane, plane);
            if (channels == 1 && pixels.Channels == 3)
            {
                ReadOnlySpan<float> red = resampled.AsSpan(0, plane), green = resampled.AsSpan(plane, plane), blue = resampled.AsSpan(2 * plane, plane);
                for (int i = 0; i < plane; i++)
                {
                    output[i] = ((((0.299f * red[i]) + (0.587f * green[i]) + (0.114f * blue[i])) / 255f) - channelMean) / channelStd;
                }

                continue;
            }

            ReadOnlySpan<float> input = resampled.AsSpan((pixels.Channels == 1 ? 0 : c) * plane, plane);
            for (int i = 0; i < plane; i++)
            {
                output[i] = ((input[i] / 255f) - channelMean) / channelStd;
            }
        }
    }

    /// <summary>The taps of a transform: torchvision's <c>Resize(size)</c> then <c>CenterCrop(crop)</c>, fused (only the cropped outputs are computed), or a stretch of the whole image.</summary>
    internal static (AxisTaps Columns, AxisTaps Rows) Taps(int width, int height, EvalTransform transform)
    {
        ResampleFilter filter = FilterOf(transform.Interpolation);
        int crop = transform.CropSize;
        switch (transform.Resize)
        {
            case ResizeMode.Stretch:
                return (AxisTaps.Compute(width, 0, width, crop, filter), AxisTaps.Compute(height, 0, height, crop, filter));
            case ResizeMode.ShorterSideThenCenterCrop:
            {
                // torchvision's Resize(int): the shorter side becomes the size, the longer keeps the aspect ratio (truncated).
                int size = transform.ResizeSize;
                (int resizedHeight, int resizedWidth) = height <= width ? (size, (int)(size * width / (double)height)) : ((int)(size * height / (double)width), size);
                double scaleY = height / (double)resizedHeight, scaleX = width / (double)resizedWidth;
                int top = CropOffset(resizedHeight, crop), left = CropOffset(resizedWidth, crop);
                return (AxisTaps.Compute(width, left * scaleX, crop * scaleX, crop, filter), AxisTaps.Compute(height, top * scaleY, crop * scaleY, crop, filter));
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(transform), transform.Resize, "Unknown resize mode.");
        }
    }

    internal static ResampleFilter FilterOf(Interpolation interpolation) => interpolation switch
    {
        Interpolation.Bilinear => ResampleFilter.Triangle,
        Interpolation.Bicubic => ResampleFilter.Cubic,
        Interpolation.BilinearHalfPixel => ResampleFilter.PlainBilinear,
        _ => throw new ArgumentOutOfRangeException(nameof(interpolation), interpolation, "Unknown interpolation."),
    };

    /// <summary>torchvision's center_crop offset: rounded to the nearest pixel (ties to even, as Python's round), negative (zero padding) when the image is smaller.</summary>
    private static int CropOffset(int size, int crop) =>
        size < crop ? -((crop - size) / 2) : (int)Math.Round((size - crop) / 2.0, MidpointRounding.ToEven);
}
#pragma warning restore RS0026
