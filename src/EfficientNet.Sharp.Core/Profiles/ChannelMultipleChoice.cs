namespace EfficientNet.Sharp.Profiles;

/// <summary>
/// How an int8 profile chooses its channel multiple: by what the multiple is for. Each candidate multiple makes the
/// grid (<see cref="KernelGrid"/>) measure integer convolutions at some channel counts and interpolate the others; the
/// one chosen predicts the counts builders make (multiples of 8 from 64 to 256) closest from the counts it would
/// measure, on depthwise and pointwise convolutions at two map sizes. It replaced a comparison of one count's cost per
/// channel with one base count's, which chose 16 in some windows and 64 in others here: the integer depthwise kernel's
/// cost per channel at the base count itself jumps with the map size (64 channels cost 0.40 µs a channel at 24 × 24
/// and 1.1 at 32 × 32, where 128 cost 0.34 and 0.58; the int8 profiles of 2026-12-05 23:10 and 2026-12-06 00:19
/// agree to 3 %).
/// </summary>
internal static class ChannelMultipleChoice
{
    /// <summary>The multiples tried: powers of two up to the largest a profile may hold.</summary>
    public static IReadOnlyList<int> Candidates { get; } = [1, 2, 4, 8, 16, 32, 64];

    /// <summary>Two map sizes on the grid's ladder, so that only the channels are interpolated.</summary>
    private static readonly int[] MapSizes = [24, 32];

    /// <summary>
    /// The counts predicted: multiples of 8 (builders round channels to 8) from 64 to 256, a range in which some counts
    /// of each multiple lie off the grid's ladder (160 = 5 · 32), so that a multiple too small for the device shows.
    /// </summary>
    private static readonly int[] Counts = [.. Enumerable.Range(8, 25).Select(k => 8 * k)];

    /// <summary>The error a candidate may exceed the least by and still be preferred for being smaller (fewer variants).</summary>
    private const double Tolerance = 1.02;

    /// <summary>The kernels to time: the predicted counts and every grid corner a candidate interpolates them from.</summary>
    public static IReadOnlyList<KernelShape> Probes() =>
        [.. Cases().SelectMany(shape => Candidates.SelectMany(multiple => CornersOf(shape, multiple).Select(corner => corner.Corner)).Prepend(shape)).Distinct()];

    /// <summary>
    /// The candidate whose interpolation is closest (the sum of |log(predicted / measured)| over the counts), the
    /// smallest among those within 2 % of the least.
    /// </summary>
    /// <param name="milliseconds">Each of <see cref="Probes"/>'s kernels' times.</param>
    /// <exception cref="ArgumentException">A probe kernel has no time, or a time is not positive.</exception>
    public static int Choose(IReadOnlyDictionary<KernelShape, double> milliseconds)
    {
        IReadOnlyDictionary<int, double> errors = Errors(milliseconds);
        double least = errors.Values.Min();
        return Candidates.First(multiple => errors[multiple] <= (least * Tolerance) + 1e-12);
    }

    /// <summary>Each candidate's error: the sum over the counts of |log(predicted / measured)|.</summary>
    /// <param name="milliseconds">Each of <see cref="Probes"/>'s kernels' times.</param>
    /// <exception cref="ArgumentException">A probe kernel has no time, or a time is not positive.</exception>
    public static IReadOnlyDictionary<int, double> Errors(IReadOnlyDictionary<KernelShape, double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        double Time(KernelShape shape) =>
            milliseconds.TryGetValue(shape, out double time) && time > 0
                ? time
                : throw new ArgumentException($"No positive time for the probe kernel {shape}.", nameof(milliseconds));

        double Error(int multiple) => Cases().Sum(shape =>
            Math.Abs(CornersOf(shape, multiple).Sum(corner => corner.Weight * Math.Log(Time(corner.Corner))) - Math.Log(Time(shape))));

        return Candidates.ToDictionary(multiple => multiple, Error);
    }

    /// <summary>Depthwise 3 × 3 and pointwise (to 64 channels) convolutions reading each count, at each map size.</summary>
    private static IEnumerable<KernelShape> Cases() =>
        MapSizes.SelectMany(size => Counts.SelectMany(channels => new[]
        {
            new KernelShape(KernelKind.DepthwiseConvolution, channels, channels, size, 3, 1, ""),
            new KernelShape(KernelKind.PointwiseConvolution, channels, 64, size, 1, 1, ""),
        }));

    /// <summary>The corners a multiple's grid interpolates a kernel from, as the kernels to time (the variant is the grid's label, not a different graph).</summary>
    private static IEnumerable<(KernelShape Corner, double Weight)> CornersOf(KernelShape shape, int multiple)
    {
        // The counts are multiples of 8, which the ragged variant splits off only for multiples above 16: the choice is
        // made between the grids of aligned and unaligned counts, as it was before that variant.
        var alignment = new ChannelAlignment(multiple, IntegerConvolutions: true, Ragged: false);
        IReadOnlyList<(KernelShape Corner, double Weight)> corners = KernelGrid.Corners(alignment.VariantOf(shape), alignment)
            ?? throw new InvalidOperationException($"{shape} lies outside the grid.");
        return corners.Select(corner => (corner.Corner with { Variant = "" }, corner.Weight));
    }
}
