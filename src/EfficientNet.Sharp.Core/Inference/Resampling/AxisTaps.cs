namespace EfficientNet.Sharp.Inference.Resampling;

/// <summary>
/// For each output position along one axis, the source pixels it reads and their weights: PIL's and torchvision's
/// antialiased resampling (the filter stretched by the shrink factor, weights renormalised where the window meets
/// the image's edge), or PyTorch's plain bilinear interpolation. An output whose centre falls outside the image
/// reads nothing and is black, as torchvision's center crop pads a smaller image.
/// </summary>
internal sealed class AxisTaps
{
    private AxisTaps(int[] starts, int[] counts, float[] weights, int maxTaps)
    {
        Starts = starts;
        Counts = counts;
        Weights = weights;
        MaxTaps = maxTaps;
    }

    /// <summary>First source index read by each output (meaningless when its count is 0).</summary>
    public int[] Starts { get; }

    /// <summary>How many consecutive source indices each output reads (0: the output is black).</summary>
    public int[] Counts { get; }

    /// <summary>The weights, <see cref="MaxTaps"/> per output.</summary>
    public float[] Weights { get; }

    /// <summary>The most taps any output has: the stride of <see cref="Weights"/>.</summary>
    public int MaxTaps { get; }

    /// <summary>Outputs along the axis.</summary>
    public int Length => Starts.Length;

    /// <summary>The lowest and highest source index any output reads, or null when none reads any.</summary>
    public (int First, int Last)? SourceRange()
    {
        int first = int.MaxValue, last = -1;
        for (int i = 0; i < Starts.Length; i++)
        {
            if (Counts[i] > 0)
            {
                first = Math.Min(first, Starts[i]);
                last = Math.Max(last, Starts[i] + Counts[i] - 1);
            }
        }

        return last < 0 ? null : (first, last);
    }

    /// <summary>
    /// The taps for <paramref name="outputs"/> outputs covering the source interval [start, start + length) of an axis
    /// of <paramref name="sourceSize"/> pixels: output i is centred on start + (i + ½) · length / outputs.
    /// </summary>
    public static AxisTaps Compute(int sourceSize, double start, double length, int outputs, ResampleFilter filter)
    {
        double scale = length / outputs;
        return filter switch
        {
            ResampleFilter.Triangle or ResampleFilter.Cubic => Antialiased(sourceSize, start, scale, outputs, filter),
            ResampleFilter.PlainBilinear => PlainBilinear(sourceSize, start, scale, outputs),
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown resampling filter."),
        };
    }

    /// <summary>PIL's <c>precompute_coeffs</c> (and torchvision's antialiased kernels), for a window of the source.</summary>
    private static AxisTaps Antialiased(int sourceSize, double start, double scale, int outputs, ResampleFilter filter)
    {
        double filterScale = Math.Max(scale, 1.0);
        double support = Support(filter) * filterScale;
        int maxTaps = (int)Math.Ceiling(support) * 2 + 1;
        var starts = new int[outputs];
        var counts = new int[outputs];
        var weights = new float[outputs * maxTaps];
        Span<double> raw = stackalloc double[maxTaps];
        for (int i = 0; i < outputs; i++)
        {
            double centre = start + ((i + 0.5) * scale);
            if (centre < 0 || centre >= sourceSize)
            {
                continue;
            }

            // (int) truncates as C's cast does in PIL and torchvision; the bounds clip the window to the image.
            int first = Math.Max((int)(centre - support + 0.5), 0);
            int end = Math.Min((int)(centre + support + 0.5), sourceSize);
            int count = Math.Min(end - first, maxTaps);
            double total = 0;
            for (int j = 0; j < count; j++)
            {
                raw[j] = Filter(filter, (j + first - centre + 0.5) / filterScale);
                total += raw[j];
            }

            if (total == 0)
            {
                continue;
            }

            starts[i] = first;
            counts[i] = count;
            for (int j = 0; j < count; j++)
            {
                weights[(i * maxTaps) + j] = (float)(raw[j] / total);
            }
        }

        return new AxisTaps(starts, counts, weights, maxTaps);
    }

    /// <summary>PyTorch's bilinear with <c>align_corners = false</c> and no antialiasing (TFLite's half-pixel bilinear).</summary>
    private static AxisTaps PlainBilinear(int sourceSize, double start, double scale, int outputs)
    {
        var starts = new int[outputs];
        var counts = new int[outputs];
        var weights = new float[outputs * 2];
        for (int i = 0; i < outputs; i++)
        {
            double centre = start + ((i + 0.5) * scale);
            if (centre < 0 || centre >= sourceSize)
            {
                continue;
            }

            // The source coordinate is clamped at 0, as PyTorch's area_pixel_compute_source_index does.
            double source = Math.Max(centre - 0.5, 0);
            int low = Math.Min((int)source, sourceSize - 1);
            double fraction = source - low;
            starts[i] = low;
            if (low + 1 < sourceSize && fraction > 0)
            {
                counts[i] = 2;
                weights[i * 2] = (float)(1 - fraction);
                weights[(i * 2) + 1] = (float)fraction;
            }
            else
            {
                counts[i] = 1;
                weights[i * 2] = 1;
            }
        }

        return new AxisTaps(starts, counts, weights, 2);
    }

    private static double Support(ResampleFilter filter) => filter switch
    {
        ResampleFilter.Triangle => 1.0,
        ResampleFilter.Cubic => 2.0,
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Only antialiased filters have a support."),
    };

    /// <summary>The filters of PIL (and torchvision's antialiased modes): triangle, and Keys' cubic with a = −0.5.</summary>
    private static double Filter(ResampleFilter filter, double x)
    {
        x = Math.Abs(x);
        switch (filter)
        {
            case ResampleFilter.Triangle:
                return x < 1 ? 1 - x : 0;
            case ResampleFilter.Cubic:
                const double a = -0.5;
                return x < 1 ? (((a + 2) * x) - (a + 3)) * x * x + 1
                    : x < 2 ? (((((x - 5) * x) + 8) * x) - 4) * a
                    : 0;
            default:
                throw new ArgumentOutOfRangeException(nameof(filter), filter, "Only antialiased filters are evaluated.");
        }
    }
}
