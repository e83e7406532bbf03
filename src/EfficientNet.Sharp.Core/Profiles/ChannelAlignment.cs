namespace EfficientNet.Sharp.Profiles;

/// <summary>
/// A device's channel rule: the multiple its convolutions' input channels must be of to run at full speed, and which
/// convolutions it holds for. Runtimes vectorise over channels, and a count off the vector width falls to a slower
/// kernel or a slower loop, so such a convolution is a variant of its own (<see cref="KernelGrid.Unaligned"/>),
/// measured on a ladder of such channel counts. Depthwise convolutions always follow the rule; in a profile of int8
/// files (<paramref name="IntegerConvolutions"/>) so do the integer pointwise and dense ones (measured here at 28 × 28:
/// integer pointwise convolutions to 64 channels took 82–160 µs reading 65–92 channels, 54 reading 64;
/// docs/benchmark-results/2026-12-05/int8-aligned/channel-alignment-sweep.md). Float islands run in the plain layout,
/// where no multiple showed.
/// <para>
/// Integer kernels also step within the multiple (<paramref name="Ragged"/>): at one thread and 28 × 28 here, a depthwise
/// convolution's cost grows with its channels' remainder modulo 8 (64 channels 41 µs, 65–71 channels 67–107 µs, 72
/// channels 70 µs), and a pointwise one pays 10–25 µs more on a count off a multiple of 4 (83 → 83: 79 µs; 84 → 84: 62;
/// docs/benchmark-results/2026-12-06/ragged/channel-remainder-sweep.md). Builders that
/// round channels to 8 make counts half a multiple off at most, which the unaligned variant is measured at; MobileNetV1,
/// which truncates them (0.65 × 128 = 83), makes any count, and read through the unaligned variant its int8 networks
/// were predicted at 0.72–0.86 of their time (docs/device-fit.md, "Int8 channel remainders").
/// </para>
/// </summary>
/// <param name="Multiple">The multiple (<see cref="DeviceProfile.DepthwiseChannelMultiple"/>); 1: every count is aligned.</param>
/// <param name="IntegerConvolutions">Whether integer pointwise and dense convolutions follow the rule too.</param>
/// <param name="Ragged">
/// Whether a kernel the rule holds for, reading more channels than the multiple and off half of it too, is a variant of
/// its own (<see cref="KernelGrid.Ragged"/>); only for a multiple of 8 or more, in a profile that timed such kernels.
/// Otherwise it is unaligned, as every count off the multiple was before 0.4.0.
/// </param>
internal readonly record struct ChannelAlignment(int Multiple, bool IntegerConvolutions, bool Ragged = false)
{
    /// <summary>The least multiple the ragged variant exists for: half of it must leave counts off it besides odd ones.</summary>
    public const int LeastRaggedMultiple = 8;

    /// <summary>Whether a kernel's input channels decide between an aligned and an unaligned variant under this rule.</summary>
    public bool Holds(KernelShape shape) => shape.Variant != KernelGrid.FloatIsland && shape.Kind switch
    {
        KernelKind.DepthwiseConvolution => true,
        KernelKind.PointwiseConvolution or KernelKind.DenseConvolution => IntegerConvolutions,
        KernelKind.SqueezeExcitation or KernelKind.GlobalPool or KernelKind.SiLU or KernelKind.Hardswish or KernelKind.Add
            or KernelKind.Linear or KernelKind.RunOverhead => false,
        _ => throw new InvalidOperationException($"Unhandled kernel kind {shape.Kind}."),
    };

    /// <summary>The shape with its variant set: a kernel the rule holds for is unaligned when its channels are off the multiple.</summary>
    public KernelShape VariantOf(KernelShape shape) => Holds(shape) ? shape with { Variant = VariantOf(shape.InChannels) } : shape;

    /// <summary>The variant of a kernel the rule holds for, by its input channels.</summary>
    private string VariantOf(int channels) =>
        channels % Multiple == 0 ? ""
        : Ragged && Multiple >= LeastRaggedMultiple && channels > Multiple && channels % (Multiple / 2) != 0 ? KernelGrid.Ragged
        : KernelGrid.Unaligned;
}
