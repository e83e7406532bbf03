using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Inference;

/// <summary>
/// Turns images into network inputs with a checkpoint's <see cref="EvalTransform"/>, the way
/// torchvision's eval transforms do: resize the shorter side (antialiased bilinear or bicubic), center
/// crop, scale to [0, 1], normalise. Images are decoded by SkiaSharp (PNG, JPEG, BMP, GIF, WebP, …).
/// </summary>
public static class ImagePreprocessor
{
    /// <summary>
    /// Added before truncating to byte levels: it absorbs float error in the interpolation weights, which
    /// would otherwise drop an exact level k to k − 1. One Scalar for the process (see <see cref="Scalars"/>).
    /// </summary>
    private static readonly Scalar TruncationSlack = 1e-3f.ToScalar();

    /// <summary>Decodes an image file into an RGB float tensor of shape 3 × H × W with values in [0, 1].</summary>
    /// <param name="path">The image file.</param>
    /// <param name="limits">The largest image accepted, checked from the header before decoding; <see cref="ImageLimits.Default"/> when omitted.</param>
    /// <returns>The image; the caller owns it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an image SkiaSharp can decode, is truncated or damaged (only part of it decodes), or is outside <paramref name="limits"/>.</exception>
    /// <remarks>
    /// Colour comes out unpremultiplied, as PIL's <c>convert("RGB")</c> gives it: a transparent pixel keeps
    /// its stored RGB (alpha is dropped, not blended).
    /// </remarks>
    public static Tensor LoadImage(string path, ImageLimits? limits = null)
    {
        using SKBitmap bitmap = ImageFile.DecodeRgba(path, limits);
        return FromRgba(bitmap);
    }

    /// <summary>Converts a decoded image into an RGB float tensor of shape 3 × H × W with values in [0, 1].</summary>
    /// <param name="bitmap">The image, in any colour type SkiaSharp can convert.</param>
    /// <param name="limits">The largest image accepted; <see cref="ImageLimits.Default"/> when omitted.</param>
    /// <returns>The image; the caller owns it.</returns>
    /// <exception cref="InvalidDataException">The image is outside <paramref name="limits"/>.</exception>
    public static Tensor ToTensor(SKBitmap bitmap, ImageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        (limits ?? ImageLimits.Default).Check(bitmap.Width, bitmap.Height, "The image");
        if (bitmap.ColorType == SKColorType.Rgba8888 && bitmap.AlphaType is SKAlphaType.Unpremul or SKAlphaType.Opaque)
        {
            return FromRgba(bitmap);
        }

        var info = new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using SKBitmap rgba = new(info);
        if (!bitmap.CopyTo(rgba, SKColorType.Rgba8888))
        {
            using var canvas = new SKCanvas(rgba);
            canvas.DrawBitmap(bitmap, 0, 0);
        }

        return FromRgba(rgba);
    }

    /// <summary>The RGB channels of an 8-bit RGBA bitmap as a 3 × H × W float tensor in [0, 1].</summary>
    private static Tensor FromRgba(SKBitmap rgba)
    {
        LibTorch.EnsureAvailable();
        byte[] pixels = rgba.Bytes;
        using var scope = torch.NewDisposeScope();
        Tensor hwc = torch.tensor(pixels, [rgba.Height, rgba.Width, 4], ScalarType.Byte);
        Tensor chw = hwc[.., .., ..3].permute(2, 0, 1).to_type(ScalarType.Float32).div_(Scalars.ByteMaximum).contiguous();
        return chw.MoveToOuterDisposeScope();
    }

    /// <summary>Applies a transform to an RGB image tensor (3 × H × W in [0, 1]).</summary>
    /// <param name="image">The image.</param>
    /// <param name="transform">Sizes, resampling and normalisation.</param>
    /// <returns>A batch of one, 1 × 3 × crop × crop; the caller owns it.</returns>
    /// <exception cref="ArgumentException">The tensor is not 3 × H × W.</exception>
    public static Tensor Apply(Tensor image, EvalTransform transform)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(transform);
        if (image.ndim != 3 || image.shape[0] != 3)
        {
            throw new ArgumentException($"Expected an RGB image of shape 3 × H × W, got [{string.Join(", ", image.shape)}].", nameof(image));
        }

        using var scope = torch.NewDisposeScope();
        Tensor square = transform.Resize == ResizeMode.Stretch
            ? Resample(image, transform.CropSize, transform.CropSize, transform)
            : CenterCrop(ResizeShorterSide(image, transform), transform.CropSize);
        if (transform.TruncateToBytes)
        {
            // Back to byte levels and truncated like a cast to uint8.
            square = square.mul(Scalars.ByteMaximum).add_(TruncationSlack, Scalars.One).floor_().div_(Scalars.ByteMaximum);
        }

        using Tensor mean = torch.tensor(transform.Mean.ToArray()).reshape(1, 3, 1, 1);
        using Tensor std = torch.tensor(transform.Std.ToArray()).reshape(1, 3, 1, 1);
        return ((square - mean) / std).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Decodes an image file and applies a transform.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="transform">Sizes, resampling and normalisation.</param>
    /// <param name="limits">The largest image accepted; <see cref="ImageLimits.Default"/> when omitted.</param>
    /// <returns>A batch of one, 1 × 3 × crop × crop; the caller owns it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file cannot be decoded completely, or is outside <paramref name="limits"/>.</exception>
    public static Tensor Preprocess(string path, EvalTransform transform, ImageLimits? limits = null)
    {
        using Tensor image = LoadImage(path, limits);
        return Apply(image, transform);
    }

    private static Tensor ResizeShorterSide(Tensor image, EvalTransform transform)
    {
        long height = image.shape[1];
        long width = image.shape[2];

        // torchvision's Resize(int): the shorter side becomes the size, the longer keeps the aspect ratio (truncated).
        (long newHeight, long newWidth) = height <= width
            ? ((long)transform.ResizeSize, (long)(transform.ResizeSize * width / (double)height))
            : ((long)(transform.ResizeSize * height / (double)width), (long)transform.ResizeSize);
        return Resample(image, newHeight, newWidth, transform);
    }

    /// <summary>A 1 × 3 × H × W batch of the image resampled to the given size, values kept in [0, 1].</summary>
    private static Tensor Resample(Tensor image, long height, long width, EvalTransform transform)
    {
        // PyTorch's bilinear with align_corners = false samples at half-pixel centres, as TFLite's
        // RESIZE_BILINEAR(half_pixel_centers) does; TFLite does not antialias, torchvision and PIL do.
        (InterpolationMode mode, bool antialias) = transform.Interpolation switch
        {
            Interpolation.Bicubic => (InterpolationMode.Bicubic, true),
            Interpolation.BilinearHalfPixel => (InterpolationMode.Bilinear, false),
            _ => (InterpolationMode.Bilinear, true),
        };
        Tensor resized = nn.functional.interpolate(image.unsqueeze(0), [height, width], mode: mode, align_corners: false, antialias: antialias);

        // Decoded images are 8-bit, so values stay in [0, 1] as PIL's resize keeps them (bicubic overshoots otherwise).
        return resized.clamp(Scalars.Zero, Scalars.One);
    }

    /// <summary>torchvision's center_crop: offsets rounded to the nearest pixel, zero padding when the image is smaller.</summary>
    private static Tensor CenterCrop(Tensor batch, int size)
    {
        long height = batch.shape[2];
        long width = batch.shape[3];
        if (height < size || width < size)
        {
            long padHeight = Math.Max(0, size - height);
            long padWidth = Math.Max(0, size - width);
            batch = nn.functional.pad(batch, [padWidth / 2, (padWidth + 1) / 2, padHeight / 2, (padHeight + 1) / 2]);
            height = batch.shape[2];
            width = batch.shape[3];
        }

        long top = (long)Math.Round((height - size) / 2.0, MidpointRounding.ToEven);
        long left = (long)Math.Round((width - size) / 2.0, MidpointRounding.ToEven);
        return batch.narrow(2, top, size).narrow(3, left, size);
    }
}
