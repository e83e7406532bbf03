namespace EfficientNet.Sharp.Data;

/// <summary>
/// One decoded image as bytes: <see cref="Height"/> rows of <see cref="Width"/> pixels of <see cref="Channels"/>
/// intensities each (row-major, channels last; 1 channel is grey, 3 are red, green, blue).
/// </summary>
public sealed class RawImage
{
    /// <summary>Wraps decoded pixels without copying them.</summary>
    /// <param name="width">Columns, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="channels">1 (grey) or 3 (RGB).</param>
    /// <param name="pixels">width × height × channels bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> has the wrong length.</exception>
    public RawImage(int width, int height, int channels, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image has 1 (grey) or 3 (RGB) channels.");
        }

        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != (long)width * height * channels)
        {
            throw new ArgumentException($"{width} × {height} × {channels} pixels need {(long)width * height * channels} bytes, not {pixels.LongLength}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>1 (grey) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>The intensities, row by row, channels last.</summary>
    public byte[] Pixels { get; }
}
