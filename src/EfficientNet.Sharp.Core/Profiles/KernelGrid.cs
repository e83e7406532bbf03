namespace EfficientNet.Sharp.Profiles;

/// <summary>
/// The grid kernels are measured on. Every size (channels, map size, elements) lies between two neighbouring values of
/// a ladder 1, 2, 3, 4, 6, 8, 12, 16, 24, … (powers of two and one and a half times them): steps of at most 1.5×, fine
/// enough to follow the steps a kernel's time takes as its tensors outgrow a cache level. A kernel's time is
/// interpolated between the measured corners around it in log–log space, where convolution time is close to a power
/// law within a step. Convolutions whose channels are off the device's multiple run slower: they are a variant of their
/// own, measured on a ladder of such channel counts (<see cref="ChannelAlignment"/>).
/// </summary>
internal static class KernelGrid
{
    /// <summary>The variant of a convolution whose input channels are off the device's channel multiple (<see cref="ChannelAlignment"/>).</summary>
    public const string Unaligned = "unaligned";

    /// <summary>
    /// The variant of an integer convolution in an int8 profile whose input channels, more than the device's multiple,
    /// are off half of it too: an odd count, say, as MobileNetV1's truncated widths give (<see cref="ChannelAlignment"/>).
    /// </summary>
    public const string Ragged = "ragged";

    /// <summary>
    /// The variant of a convolution in an int8 profile that an int8 export leaves float: its input or output is not
    /// quantized (the default plan keeps SiLU and hard-swish outputs float), so ONNX Runtime runs it as a float
    /// convolution on dequantized weights, in the plain layout, instead of <c>QLinearConv</c> (<see cref="KernelWalk"/>).
    /// </summary>
    public const string FloatIsland = "float-island";

    /// <summary>The ladder up to 2²⁸ elements (a 1280-channel map of 448 × 448 pixels is 2²⁸).</summary>
    private static readonly int[] Ladder = [.. Enumerable.Range(0, 29).SelectMany(k => k == 0 ? [1] : new[] { 1 << k, 3 << (k - 1) }).Order()];

    /// <summary>
    /// Whether a measured kernel of an int8 profile exists only in one that timed int8 networks in their forms: a float
    /// island, or an integer convolution other than a depthwise one split off as unaligned. A profile with neither times
    /// every convolution as an integer one, unsplit but for depthwise ones, which is also how it is read without the forms.
    /// </summary>
    public static bool IsOfInt8Forms(KernelShape shape) =>
        shape.Variant is FloatIsland or Ragged || IsUnalignedPointwiseOrDense(shape);

    /// <summary>
    /// Whether a kernel is a convolution other than a depthwise one split off as unaligned: in an int8 profile, an integer
    /// one off the channel multiple (<see cref="IsOfInt8Forms"/>); in a float profile, one the runtime runs in its plain
    /// layout (<see cref="ChannelAlignment.PlainMultiple"/>).
    /// </summary>
    public static bool IsUnalignedPointwiseOrDense(KernelShape shape) => shape.Variant == Unaligned && shape.Kind != KernelKind.DepthwiseConvolution;

    /// <summary>
    /// The grid corners around a kernel (its sizes replaced by their neighbouring ladder values; one value where a size
    /// is on the ladder), each with its weight in multilinear interpolation over log sizes; null when a size lies
    /// outside the ladder. With <paramref name="padding"/>, channels a blocked layout pads are weighed by their padded
    /// counts; the corners are the same.
    /// </summary>
    public static IReadOnlyList<(KernelShape Corner, double Weight)>? Corners(KernelShape shape, ChannelAlignment alignment, BlockedPadding? padding = null)
    {
        int[] sizes = Sizes(shape);
        IEnumerable<(int[] Values, double Weight)> corners = [([], 1.0)];
        for (int i = 0; i < sizes.Length; i++)
        {
            if (Bracket(sizes[i], Axis(shape, i, alignment)) is not var (low, high, byCount))
            {
                return null;
            }

            double fraction = padding?.Fraction(shape, i, sizes[i], low, high, byCount) ?? byCount;
            (int Value, double Weight)[] ends = low == high ? [(low, 1.0)] : [(low, 1 - fraction), (high, fraction)];
            corners = corners.SelectMany(corner => ends.Select(end => ((int[])[.. corner.Values, end.Value], corner.Weight * end.Weight)));
        }

        return [.. corners.Select(corner => (WithSizes(shape, corner.Values), corner.Weight))];
    }

    /// <summary>The continuous sizes of a kernel, in the order <see cref="WithSizes"/> takes them.</summary>
    public static int[] Sizes(KernelShape shape) => shape.Kind switch
    {
        KernelKind.PointwiseConvolution or KernelKind.DenseConvolution => [shape.InChannels, shape.OutChannels, shape.Size],
        KernelKind.DepthwiseConvolution or KernelKind.SqueezeExcitation or KernelKind.GlobalPool => [shape.InChannels, shape.Size],
        KernelKind.Linear => [shape.InChannels, shape.OutChannels],
        KernelKind.SiLU or KernelKind.Hardswish or KernelKind.Add => [shape.InChannels],
        KernelKind.RunOverhead => [],
        _ => throw new InvalidOperationException($"Unhandled kernel kind {shape.Kind}."),
    };

    /// <summary>Which of <see cref="Sizes"/> is the map size, for kinds that have one apart from their channels; null otherwise.</summary>
    public static int? MapSizeCoordinate(KernelKind kind) => kind switch
    {
        KernelKind.PointwiseConvolution or KernelKind.DenseConvolution => 2,
        KernelKind.DepthwiseConvolution or KernelKind.SqueezeExcitation or KernelKind.GlobalPool => 1,
        KernelKind.Linear or KernelKind.SiLU or KernelKind.Hardswish or KernelKind.Add or KernelKind.RunOverhead => null,
        _ => throw new InvalidOperationException($"Unhandled kernel kind {kind}."),
    };

    /// <summary>Whether a kind's one size is its element count (channels × pixels).</summary>
    public static bool IsElementwise(KernelKind kind) => kind is KernelKind.SiLU or KernelKind.Hardswish or KernelKind.Add;

    /// <summary>
    /// The brackets a kernel's sizes fall in (all of them, all but one coordinate, or only one), with its variant: kernels
    /// with the same key have the same corners on those coordinates.
    /// </summary>
    public static string BracketKey(KernelShape shape, ChannelAlignment alignment, int? except = null, int? only = null)
    {
        int[] sizes = Sizes(shape);
        IEnumerable<string> brackets = Enumerable.Range(0, sizes.Length)
            .Where(i => i != except && (only is null || i == only))
            .Select(i => Bracket(sizes[i], Axis(shape, i, alignment)) is var (low, high, _) ? $"{low}-{high}" : "outside");
        return $"{shape.Variant}|{string.Join(',', brackets)}";
    }

    /// <summary>The ladder values that bracket every value from <paramref name="smallest"/> to <paramref name="largest"/>.</summary>
    public static IEnumerable<int> LadderBetween(int smallest, int largest)
    {
        int first = Array.FindLastIndex(Ladder, value => value <= smallest), last = Array.FindIndex(Ladder, value => value >= largest);
        return Ladder[Math.Max(first, 0)..((last < 0 ? Ladder.Length - 1 : last) + 1)];
    }

    /// <summary>A kernel shape with its continuous sizes replaced.</summary>
    private static KernelShape WithSizes(KernelShape shape, int[] sizes) => shape.Kind switch
    {
        KernelKind.PointwiseConvolution or KernelKind.DenseConvolution => shape with { InChannels = sizes[0], OutChannels = sizes[1], Size = sizes[2] },
        KernelKind.DepthwiseConvolution or KernelKind.SqueezeExcitation or KernelKind.GlobalPool => shape with { InChannels = sizes[0], OutChannels = sizes[0], Size = sizes[1] },
        KernelKind.Linear => shape with { InChannels = sizes[0], OutChannels = sizes[1] },
        KernelKind.SiLU or KernelKind.Hardswish or KernelKind.Add => shape with { InChannels = sizes[0], OutChannels = sizes[0] },
        KernelKind.RunOverhead => shape,
        _ => throw new InvalidOperationException($"Unhandled kernel kind {shape.Kind}."),
    };

    /// <summary>The values a size is measured at: the ladder, or for the input channels of a kernel with a channel alignment, the ladder made aligned or unaligned.</summary>
    private static int[] Axis(KernelShape shape, int coordinate, ChannelAlignment alignment)
    {
        int multiple = alignment.MultipleOf(shape);
        if (coordinate != 0 || multiple == 1 || !alignment.Holds(shape))
        {
            return Ladder;
        }

        // Aligned: each ladder value rounded up to the multiple. Unaligned: the ladder's values below the multiple, then
        // half a multiple above each aligned value. (A float convolution held to the blocked layout's multiple runs
        // blocked below the layout's block: the ladder's values there are aligned for it, and its unaligned counts start
        // one above the block, which is off any multiple of two or more.) Ragged: one above the multiple, then three
        // quarters of a multiple less one above each aligned value, an odd count (which integer pointwise kernels pay
        // for) at a remainder whose depthwise cost is about the mean over the remainders off half the multiple (at
        // 28 × 28 here, 75 channels took 92 µs; the 14 such counts from 65 to 79, 67–117 µs, mean 92).
        IEnumerable<int> aligned = Ladder.Select(value => checked(((value + multiple - 1) / multiple) * multiple));
        return shape.Variant switch
        {
            Unaligned when alignment.AlignedBelow(shape) is > 0 and int below =>
                [.. aligned.Select(value => value + (multiple / 2)).Where(value => value > below).Prepend(below + 1).Distinct().Order()],
            Unaligned => [.. Ladder.Where(value => value < multiple).Concat(aligned.Select(value => value + (multiple / 2))).Distinct().Order()],
            Ragged => [.. aligned.Select(value => value + (3 * multiple / 4) - 1).Prepend(multiple + 1).Distinct().Order()],
            "" => [.. Ladder.Where(value => value < alignment.AlignedBelow(shape)).Concat(aligned).Distinct().Order()],
            _ => throw new InvalidOperationException($"Unhandled channel variant '{shape.Variant}' of {shape}."),
        };
    }

    /// <summary>The axis values either side of a size and the size's place between them in log scale; null outside the axis.</summary>
    private static (int Low, int High, double Fraction)? Bracket(int value, int[] axis)
    {
        if (value < axis[0] || value > axis[^1])
        {
            return null;
        }

        int index = Array.BinarySearch(axis, value);
        if (index >= 0)
        {
            return (value, value, 0);
        }

        int high = axis[~index], low = axis[~index - 1];
        return (low, high, Math.Log((double)value / low) / Math.Log((double)high / low));
    }
}
