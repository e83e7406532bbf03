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
/// <para>
/// In a float profile, a pointwise or dense convolution whose input channels are off the blocked layout's multiple (and
/// more than it) runs in the plain layout, as a matrix product over the map's pixels, which the runtime computes in
/// panels of pixels: at one thread here, a plain pointwise convolution took as long on 2 × 2 or 3 × 3 pixels as on
/// 4 × 4 (931 → 931: 243–244 µs at each, where the blocked 928 → 928 took 75, 145 and 252 µs), 1.3 times the blocked
/// one's time at 6 × 6 and 7 × 7 and 1.03 times at 28 × 28
/// (docs/benchmark-results/2026-12-06/plain-pointwise/pointwise-layout-sweep.md). Such convolutions are the unaligned
/// variant in a profile that timed them so (<paramref name="PlainMultiple"/>); only MobileNetV1's truncated widths make
/// them among the registered families.
/// </para>
/// </summary>
/// <param name="Multiple">The multiple (<see cref="DeviceProfile.DepthwiseChannelMultiple"/>); 1: every count is aligned.</param>
/// <param name="IntegerConvolutions">Whether integer pointwise and dense convolutions follow the rule too.</param>
/// <param name="Ragged">
/// Whether a kernel the rule holds for, reading more channels than the multiple and off half of it too, is a variant of
/// its own (<see cref="KernelGrid.Ragged"/>); only for a multiple of 8 or more, in a profile that timed such kernels.
/// Otherwise it is unaligned, as every count off the multiple was before 0.4.0.
/// </param>
/// <param name="PlainMultiple">
/// In a float profile that timed plain-layout pointwise and dense convolutions as their own variant, the blocked layout's
/// channel multiple (<see cref="DeviceProfile.BlockedLayoutChannelMultiple"/>) those convolutions' input channels are
/// held to; 0 otherwise (an int8 profile holds them to <paramref name="Multiple"/> through
/// <paramref name="IntegerConvolutions"/>, and a float profile from before 0.4.0 reads them all from blocked kernels).
/// </param>
/// <param name="PlainBlock">
/// The blocked layout's block (<see cref="DeviceProfile.BlockedLayoutBlock"/>): a pointwise or dense convolution reading
/// fewer channels runs blocked whatever their count. 0: unknown, <paramref name="PlainMultiple"/> stands for it.
/// </param>
internal readonly record struct ChannelAlignment(int Multiple, bool IntegerConvolutions, bool Ragged = false, int PlainMultiple = 0, int PlainBlock = 0)
{
    /// <summary>The least multiple the ragged variant exists for: half of it must leave counts off it besides odd ones.</summary>
    public const int LeastRaggedMultiple = 8;

    /// <summary>Whether a kernel's input channels decide between an aligned and an unaligned variant under this rule.</summary>
    public bool Holds(KernelShape shape) => shape.Variant != KernelGrid.FloatIsland && shape.Kind switch
    {
        KernelKind.DepthwiseConvolution => true,
        KernelKind.PointwiseConvolution or KernelKind.DenseConvolution => IntegerConvolutions || IsPlainRule(shape),
        KernelKind.SqueezeExcitation or KernelKind.GlobalPool or KernelKind.SiLU or KernelKind.Hardswish or KernelKind.Add
            or KernelKind.Linear or KernelKind.RunOverhead => false,
        _ => throw new InvalidOperationException($"Unhandled kernel kind {shape.Kind}."),
    };

    /// <summary>The multiple a kernel the rule holds for is held to: the blocked layout's for float pointwise and dense convolutions, else <see cref="Multiple"/>.</summary>
    public int MultipleOf(KernelShape shape) => IsPlainRule(shape) ? PlainMultiple : Multiple;

    /// <summary>
    /// The count below which a kernel is aligned whatever its channels: for a float convolution held to the blocked
    /// layout's multiple, the layout's block (the runtime blocks a stem reading 3 channels, or a pointwise convolution
    /// reading 14); for any other kernel none (0), since a count below its multiple is off it.
    /// </summary>
    public int AlignedBelow(KernelShape shape) => IsPlainRule(shape) ? KernelShape.BlockedBelow(PlainMultiple, Block) : 0;

    /// <summary><see cref="PlainBlock"/> as <see cref="KernelShape.RunsBlocked"/> takes it: null where unknown.</summary>
    private int? Block => PlainBlock == 0 ? null : PlainBlock;

    /// <summary>The shape with its variant set: a kernel the rule holds for is unaligned when its channels are off the multiple.</summary>
    public KernelShape VariantOf(KernelShape shape) => Holds(shape) ? shape with { Variant = VariantName(shape) } : shape;

    /// <summary>Whether a kernel is a float pointwise or dense convolution held to the blocked layout's multiple (<see cref="PlainMultiple"/>).</summary>
    private bool IsPlainRule(KernelShape shape) =>
        !IntegerConvolutions && PlainMultiple > 1 && shape.Kind is KernelKind.PointwiseConvolution or KernelKind.DenseConvolution;

    /// <summary>The variant of a kernel the rule holds for, by its input channels.</summary>
    private string VariantName(KernelShape shape) =>
        IsPlainRule(shape) ? (shape.RunsUnblocked(PlainMultiple, Block) ? KernelGrid.Unaligned : "")
        : shape.InChannels % Multiple == 0 ? ""
        : Ragged && Multiple >= LeastRaggedMultiple && shape.InChannels > Multiple && shape.InChannels % (Multiple / 2) != 0 ? KernelGrid.Ragged
        : KernelGrid.Unaligned;
}
