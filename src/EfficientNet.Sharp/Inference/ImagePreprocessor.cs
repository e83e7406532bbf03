using EfficientNet.Sharp.Data;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Inference;

/// <summary>
/// Images as TorchSharp tensors: decoded (SkiaSharp: PNG, JPEG, BMP, GIF, WebP, …) and prepared with a checkpoint's
/// <see cref="EvalTransform"/> by <see cref="ImagePreparation"/> — resize the shorter side (antialiased bilinear or
/// bicubic), center crop, scale to [0, 1], normalise — then wrapped as a batch of one.
/// </summary>
public static class ImagePreprocessor
{
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
    /// <param name="image">The image; its values are read at 8-bit precision (decoded images are 8-bit).</param>
    /// <param name="transform">Sizes, resampling and normalisation.</param>
    /// <returns>A batch of one, 1 × C × crop × crop; the caller owns it.</returns>
    /// <exception cref="ArgumentException">The tensor is not 3 × H × W.</exception>
    /// <remarks>The resampling is <see cref="ImagePreparation"/>'s, the one the library, its training and its deploy package share.</remarks>
    public static Tensor Apply(Tensor image, EvalTransform transform)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(transform);
        if (image.ndim != 3 || image.shape[0] != 3)
        {
            throw new ArgumentException($"Expected an RGB image of shape 3 × H × W, got [{string.Join(", ", image.shape)}].", nameof(image));
        }

        using var scope = torch.NewDisposeScope();
        Tensor levels = image.mul(Scalars.ByteMaximum).round_().clamp_(Scalars.Zero, Scalars.ByteMaximum).to_type(ScalarType.Byte).permute(1, 2, 0).contiguous();
        var raw = new RawImage((int)image.shape[2], (int)image.shape[1], 3, levels.data<byte>().ToArray());
        return ToBatch(ImagePreparation.Prepare(raw, transform), transform).MoveToOuterDisposeScope();
    }

    /// <summary>Decodes an image file and applies a transform.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="transform">Sizes, resampling and normalisation.</param>
    /// <param name="limits">The largest image accepted; <see cref="ImageLimits.Default"/> when omitted.</param>
    /// <returns>A batch of one, 1 × C × crop × crop; the caller owns it.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file cannot be decoded completely, or is outside <paramref name="limits"/>.</exception>
    public static Tensor Preprocess(string path, EvalTransform transform, ImageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return ToBatch(ImagePreparation.Prepare(path, transform, limits), transform);
    }

    /// <summary>A prepared image as a batch of one.</summary>
    internal static Tensor ToBatch(float[] prepared, EvalTransform transform)
    {
        LibTorch.EnsureAvailable();
        return torch.tensor(prepared, [1, transform.Channels, transform.CropSize, transform.CropSize]);
    }
}
