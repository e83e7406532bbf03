using EfficientNet.Sharp.IO;
using SkiaSharp;

namespace EfficientNet.Sharp.Inference;

/// <summary>
/// Decodes images with SkiaSharp (PNG, JPEG, BMP, GIF, WebP, …) to 8-bit RGBA with unpremultiplied alpha, turned
/// upright as their EXIF orientation says; shared by inference, the deploy package and the training datasets.
/// </summary>
internal static class ImageFile
{
    /// <summary>Decodes a file, checking its size from the header first.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file cannot be decoded, is truncated or damaged, is not a regular file, or is outside the limits.</exception>
    public static SKBitmap DecodeRgba(string path, ImageLimits? limits)
    {
        InputFile.Check(path, "image");
        using SKCodec codec = SKCodec.Create(path, out SKCodecResult opened)
            ?? throw new InvalidDataException($"'{path}' is not an image that can be decoded ({opened}).");
        return Decode(codec, limits, $"'{path}'");
    }

    /// <summary>Decodes an image from a stream (read to its end).</summary>
    /// <exception cref="InvalidDataException">The data cannot be decoded, is truncated or damaged, or is outside the limits.</exception>
    public static SKBitmap DecodeRgba(Stream stream, ImageLimits? limits, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var data = SKData.Create(stream);
        using SKCodec codec = data is null ? throw new InvalidDataException($"{source} holds no image data.")
            : SKCodec.Create(data) ?? throw new InvalidDataException($"{source} is not an image that can be decoded.");
        return Decode(codec, limits, source);
    }

    private static SKBitmap Decode(SKCodec codec, ImageLimits? limits, string source)
    {
        (limits ?? ImageLimits.Default).Check(codec.Info.Width, codec.Info.Height, source);

        // Straight to 8-bit RGBA with unpremultiplied alpha: decoding premultiplied first would zero the
        // colour of every transparent pixel.
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        SKCodecResult decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new InvalidDataException(decoded == SKCodecResult.IncompleteInput
                ? $"{source} is truncated or damaged: only part of the {codec.Info.Width} × {codec.Info.Height} image could be decoded."
                : $"{source} could not be decoded ({decoded}).");
        }

        return Upright(bitmap, codec.EncodedOrigin);
    }

    /// <summary>The image as its camera meant it to be seen: rotated or mirrored by its EXIF orientation (the bitmap is replaced).</summary>
    private static SKBitmap Upright(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
        {
            return bitmap;
        }

        bool swaps = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int width = swaps ? bitmap.Height : bitmap.Width, height = swaps ? bitmap.Width : bitmap.Height;
        var upright = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(upright))
        using (var paint = new SKPaint { BlendMode = SKBlendMode.Src })
        {
            canvas.SetMatrix(OrientationMatrix(origin, bitmap.Width, bitmap.Height));
            canvas.DrawBitmap(bitmap, 0, 0, paint);
        }

        bitmap.Dispose();
        return upright;
    }

    /// <summary>Maps stored pixels to upright ones for each EXIF orientation (TIFF tag 274, values 2–8).</summary>
    private static SKMatrix OrientationMatrix(SKEncodedOrigin origin, int width, int height) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, height, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, height, -1, 0, width, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, width, 0, 0, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Unknown EXIF orientation."),
    };
}
