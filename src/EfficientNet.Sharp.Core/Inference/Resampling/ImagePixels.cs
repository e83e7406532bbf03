namespace EfficientNet.Sharp.Inference.Resampling;

/// <summary>
/// A view of decoded pixels, row by row, channels last: <see cref="PixelStride"/> values per pixel of which the first
/// <see cref="Channels"/> are read (3 for RGB, also from RGBA; 1 for grey), values 0–255.
/// </summary>
internal readonly ref struct ImagePixels(ReadOnlySpan<byte> values, int width, int height, int channels, int pixelStride)
{
    public ReadOnlySpan<byte> Values { get; } = values;

    public int Width { get; } = width;

    public int Height { get; } = height;

    public int Channels { get; } = channels;

    public int PixelStride { get; } = pixelStride;

    public int RowStride => Width * PixelStride;
}
