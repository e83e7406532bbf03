namespace EfficientNet.Sharp.Profiles;

/// <summary>
/// How a device's blocked channel layout pads channels: a convolution ONNX Runtime runs blocked computes whole blocks of
/// channels (<see cref="DeviceProfile.BlockedLayoutBlock"/>, 16 on an x64 machine with AVX-512F), so its time steps with the
/// padded count, not the count. Here, at one thread and 28 × 28, a pointwise convolution from 64 channels took 81 µs to
/// any of 65–80 and 96 µs to any of 81–96, and a depthwise 3 × 3 one 29–30 µs at 68–80 channels and 35–37 µs at 84–96
/// (docs/benchmark-results/2026-12-06/blocked-padding/float-channel-sweep.md). Interpolating between the grid's
/// channel counts by the count itself then reads a count just past a block (68, 88) too low; by the padded count, it
/// reads it as the block it runs as. Read from float profiles of one thread only (<see cref="LatencyPredictor"/>).
/// </summary>
/// <param name="Multiple">The blocked layout's channel multiple (<see cref="DeviceProfile.BlockedLayoutChannelMultiple"/>).</param>
/// <param name="Block">The block channels are padded up to.</param>
internal readonly record struct BlockedPadding(int Multiple, int Block)
{
    /// <summary>
    /// Where a size lies between its two grid values, from their padded counts when the size is channels that the
    /// kernel's blocked layout pads (else, or where both values pad alike, <paramref name="fraction"/> as given).
    /// </summary>
    /// <param name="shape">The kernel.</param>
    /// <param name="coordinate">Which of <see cref="KernelGrid.Sizes"/> the size is.</param>
    /// <param name="value">The size.</param>
    /// <param name="low">The grid value below it.</param>
    /// <param name="high">The grid value above it.</param>
    /// <param name="fraction">Its place between them by the count itself, in log scale.</param>
    public double Fraction(KernelShape shape, int coordinate, int value, int low, int high, double fraction)
    {
        double paddedLow = Padded(shape, coordinate, low), paddedHigh = Padded(shape, coordinate, high);
        return paddedLow == paddedHigh ? fraction : Math.Log(Padded(shape, coordinate, value) / paddedLow) / Math.Log(paddedHigh / paddedLow);
    }

    /// <summary>A size of the kernel as its blocked layout computes it: channels it pads rounded up to the block, else as it is.</summary>
    /// <param name="shape">The kernel.</param>
    /// <param name="coordinate">Which of <see cref="KernelGrid.Sizes"/> the size is.</param>
    /// <param name="value">The size.</param>
    public int Padded(KernelShape shape, int coordinate, int value) => Pads(shape, coordinate) ? (value + Block - 1) / Block * Block : value;

    /// <summary>
    /// Whether a size of the kernel is channels its blocked layout pads: a blocked convolution's output channels, a
    /// depthwise one's channels, and a pointwise or dense one's input channels when they are a block or more (fewer, as a
    /// stem's 3 or a pointwise convolution's 8 where the block is 16, it reads as they are, in the plain layout).
    /// </summary>
    private bool Pads(KernelShape shape, int coordinate) => shape.RunsBlocked(Multiple, Block) && shape.Kind switch
    {
        KernelKind.PointwiseConvolution or KernelKind.DenseConvolution => coordinate == 1 || (coordinate == 0 && shape.InChannels >= Block),
        KernelKind.DepthwiseConvolution => coordinate == 0,
        KernelKind.SqueezeExcitation or KernelKind.GlobalPool or KernelKind.SiLU or KernelKind.Hardswish or KernelKind.Add
            or KernelKind.Linear or KernelKind.RunOverhead => false,
        _ => throw new InvalidOperationException($"Unhandled kernel kind {shape.Kind}."),
    };
}
