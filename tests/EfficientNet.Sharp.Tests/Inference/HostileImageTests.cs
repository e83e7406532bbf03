using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using EfficientNet.Sharp.Inference;
using SkiaSharp;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Tests.Inference;

/// <summary>Images that are small files but huge, elongated, truncated or transparent.</summary>
public class HostileImageTests
{
    private static readonly EvalTransform Transform = EvalTransform.ImageNet(32, 24, Interpolation.Bilinear);

    [Test]
    public void ElongatedImage_IsRefusedBeforeDecoding()
    {
        using var folder = new TempFolder();
        string path = folder.File("line.png");
        using (var bitmap = new SKBitmap(8000, 1, SKColorType.Rgba8888, SKAlphaType.Unpremul))
        {
            bitmap.Erase(SKColors.Gray);
            using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(path, data.ToArray());
        }

        var error = Assert.Throws<InvalidDataException>(() => ImagePreprocessor.Preprocess(path, Transform));

        Assert.That(error!.Message, Does.Contain("8,000 × 1").And.Contain("8000:1").And.Contain("MaxAspectRatio"));
        Assert.That(new FileInfo(path).Length, Is.LessThan(1000), "a small file");
    }

    [Test]
    public void HeaderDeclaring144Megapixels_IsRefusedWithoutDecoding()
    {
        using var folder = new TempFolder();
        string path = folder.File("huge.png");
        File.WriteAllBytes(path, PngHeaderOnly(12000, 12000));
        // This thread's allocations only: fixtures run in parallel, and the process-wide count included theirs (2.3 MB in one CI run).
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<InvalidDataException>(() => ImagePreprocessor.Preprocess(path, Transform));

        Assert.That(error!.Message, Does.Contain("12,000 × 12,000").And.Contain("144 megapixels").And.Contain("MaxPixels"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20), "nothing the size of the image is allocated");
    }

    [Test]
    public void Limits_AreConfigurable()
    {
        using var folder = new TempFolder();
        string path = folder.File("small.png");
        using (var bitmap = new SKBitmap(40, 40, SKColorType.Rgba8888, SKAlphaType.Unpremul))
        {
            using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(path, data.ToArray());
        }

        Assert.That(() => ImagePreprocessor.Preprocess(path, Transform, new ImageLimits { MaxPixels = 1000 }), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("40 × 40"));
        Assert.That(() => ImagePreprocessor.Preprocess(path, Transform, new ImageLimits { MaxPixels = 1600 }).Dispose(), Throws.Nothing);
        Assert.That(() => new ImageLimits { MaxAspectRatio = 0.5 }, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contain("MaxAspectRatio"));
        Assert.That(() => new ImageLimits { MaxPixels = 0 }, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contain("MaxPixels"));
    }

    [TestCase(SKEncodedImageFormat.Jpeg, 0.3)]
    [TestCase(SKEncodedImageFormat.Png, 0.5)]
    public void TruncatedImage_IsRefusedAsIncomplete(SKEncodedImageFormat format, double keep)
    {
        using var folder = new TempFolder();
        string path = folder.File($"cut.{format}");
        byte[] whole = Encode(Gradient(320, 240), format);
        File.WriteAllBytes(path, whole[..(int)(whole.Length * keep)]);

        var error = Assert.Throws<InvalidDataException>(() => ImagePreprocessor.Preprocess(path, Transform));

        Assert.That(error!.Message, Does.Contain("truncated").And.Contain("320 × 240"));
    }

    [Test]
    public void TransparentPixels_KeepTheirColour_AsPilsConvertRgbDoes()
    {
        using var folder = new TempFolder();
        string path = folder.File("transparent.png");

        // Written byte for byte (not by an encoder that might drop the colour of invisible pixels).
        byte[] rgba = [.. Enumerable.Range(0, 8).SelectMany(i => i == 0 ? new byte[] { 10, 220, 30, 128 } : [200, 50, 100, 0])];
        File.WriteAllBytes(path, Png(4, 2, rgba));

        using Tensor image = ImagePreprocessor.LoadImage(path);

        float[] transparent = [.. image[.., 1, 3].data<float>()];
        float[] halfTransparent = [.. image[.., 0, 0].data<float>()];
        Assert.That(transparent, Is.EqualTo(new[] { 200 / 255f, 50 / 255f, 100 / 255f }).Within(1e-6));
        Assert.That(halfTransparent, Is.EqualTo(new[] { 10 / 255f, 220 / 255f, 30 / 255f }).Within(1e-6));
    }

    private static SKBitmap Gradient(int width, int height)
    {
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 255 / width), (byte)(y * 255 / height), (byte)((x ^ y) & 255)));
            }
        }

        return bitmap;
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using (bitmap)
        using (SKData data = bitmap.Encode(format, 90))
        {
            return data.ToArray();
        }
    }

    /// <summary>A valid PNG header (IHDR) for an RGB image of the given size, with a few bytes of pixel data: what a decoder reads before the pixels.</summary>
    private static byte[] PngHeaderOnly(int width, int height) => Png(width, height, new byte[63], colourType: 2);

    /// <summary>A PNG of 8-bit pixels (RGBA by default), one unfiltered row after another.</summary>
    private static byte[] Png(int width, int height, byte[] pixels, byte colourType = 6)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        byte[] header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = colourType;
        Chunk(png, "IHDR", header);
        int rowBytes = width * (colourType == 6 ? 4 : 3);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (int row = 0; row * rowBytes < pixels.Length; row++)
            {
                zlib.WriteByte(0); // filter: none
                zlib.Write(pixels, row * rowBytes, Math.Min(rowBytes, pixels.Length - (row * rowBytes)));
            }
        }

        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        byte[] length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typeAndData);
        byte[] crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
