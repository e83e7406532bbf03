namespace EfficientNet.Sharp.Inference.Resampling;

/// <summary>
/// The one resampling routine of the library: a separable pass over the rows the output needs (horizontal taps,
/// into a float buffer), then the vertical taps, as torchvision's antialiased kernels compute it. Training views,
/// evaluation crops and TFLite's stretch all come through here; only the taps differ.
/// </summary>
internal static unsafe class Resampler
{
    /// <summary>Rows × outputs above which the horizontal pass is split over the processor's cores.</summary>
    private const int ParallelWork = 64 * 1024;

    /// <summary>
    /// Resamples the image to <c>rows.Length × columns.Length</c> pixels, written channel-planar (C × H × W) into
    /// <paramref name="destination"/>, values 0–255 (clamped: cubic taps overshoot), black where an output reads nothing.
    /// </summary>
    /// <param name="source">The decoded pixels.</param>
    /// <param name="columns">The horizontal taps (one per output column).</param>
    /// <param name="rows">The vertical taps (one per output row).</param>
    /// <param name="mirror">Whether to write the columns right to left (a horizontal flip).</param>
    /// <param name="destination">Channels × rows × columns floats.</param>
    public static void Resample(ImagePixels source, AxisTaps columns, AxisTaps rows, bool mirror, Span<float> destination)
    {
        int channels = source.Channels, width = columns.Length, height = rows.Length, plane = width * height;
        if (destination.Length < channels * plane)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; {channels} × {height} × {width} are needed.", nameof(destination));
        }

        destination[..(channels * plane)].Clear();
        if (rows.SourceRange() is not (int first, int last))
        {
            return;
        }

        int needed = last - first + 1;
        float[] horizontal = new float[needed * width * channels];
        fixed (byte* pixels = source.Values)
        {
            nint address = (nint)pixels;
            int rowStride = source.RowStride, pixelStride = source.PixelStride;
            void Row(int r) => HorizontalRow((byte*)address + ((long)(first + r) * rowStride), pixelStride, channels, columns, horizontal.AsSpan(r * width * channels, width * channels));
            if ((long)needed * width > ParallelWork)
            {
                Parallel.For(0, needed, Row);
            }
            else
            {
                for (int r = 0; r < needed; r++)
                {
                    Row(r);
                }
            }
        }

        Vertical(horizontal, first, width, channels, rows, mirror, destination);
    }

    private static void HorizontalRow(byte* row, int pixelStride, int channels, AxisTaps columns, Span<float> output)
    {
        int taps = columns.MaxTaps;
        for (int x = 0; x < columns.Length; x++)
        {
            int count = columns.Counts[x];
            if (count == 0)
            {
                continue;
            }

            ReadOnlySpan<float> weights = columns.Weights.AsSpan(x * taps, count);
            byte* pixel = row + ((long)columns.Starts[x] * pixelStride);
            for (int c = 0; c < channels; c++)
            {
                float sum = 0;
                for (int j = 0; j < count; j++)
                {
                    sum += weights[j] * pixel[(j * pixelStride) + c];
                }

                output[(x * channels) + c] = sum;
            }
        }
    }

    private static void Vertical(float[] horizontal, int first, int width, int channels, AxisTaps rows, bool mirror, Span<float> destination)
    {
        int taps = rows.MaxTaps, plane = width * rows.Length, rowLength = width * channels;
        for (int y = 0; y < rows.Length; y++)
        {
            int count = rows.Counts[y];
            if (count == 0)
            {
                continue;
            }

            ReadOnlySpan<float> weights = rows.Weights.AsSpan(y * taps, count);
            int top = rows.Starts[y] - first;
            for (int x = 0; x < width; x++)
            {
                int column = mirror ? width - 1 - x : x;
                for (int c = 0; c < channels; c++)
                {
                    float sum = 0;
                    int at = (top * rowLength) + (x * channels) + c;
                    for (int j = 0; j < count; j++)
                    {
                        sum += weights[j] * horizontal[at + (j * rowLength)];
                    }

                    destination[(c * plane) + (y * width) + column] = Math.Clamp(sum, 0f, 255f);
                }
            }
        }
    }
}
