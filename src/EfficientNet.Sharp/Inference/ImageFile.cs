using EfficientNet.Sharp.IO;
using SkiaSharp;

namespace EfficientNet.Sharp.Inference;

/// <summary>Decodes image files with SkiaSharp; shared by inference and the training datasets.</summary>
internal static class ImageFile
{
    /// <summary>Decodes a file to 8-bit RGBA with unpremultiplied alpha, checking its size from the header first.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file cannot be decoded, is truncated or damaged, or is outside the limits.</exception>
    public static SKBitmap DecodeRgba(string path, ImageLimits? limits)
    {
        InputFile.Check(path, "image");

        using SKCodec codec = SKCodec.Create(path, out SKCodecResult opened)
            ?? throw new InvalidDataException($"'{path}' is not an image that can be decoded ({opened}).");
        (limits ?? ImageLimits.Default).Check(codec.Info.Width, codec.Info.Height, $"'{path}'");

        // Straight to 8-bit RGBA with unpremultiplied alpha: decoding premultiplied first would zero the
        // colour of every transparent pixel.
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        SKCodecResult decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new InvalidDataException(decoded == SKCodecResult.IncompleteInput
                ? $"'{path}' is truncated or damaged: only part of the {codec.Info.Width} × {codec.Info.Height} image could be decoded."
                : $"'{path}' could not be decoded ({decoded}).");
        }

        return bitmap;
    }
}
