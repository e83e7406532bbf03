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
/// </summary>
/// <param name="Multiple">The multiple (<see cref="DeviceProfile.DepthwiseChannelMultiple"/>); 1: every count is aligned.</param>
/// <param name="IntegerConvolutions">Whether integer pointwise and dense convolutions follow the rule too.</param>
internal readonly record struct ChannelAlignment(int Multiple, bool IntegerConvolutions)
{
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
    public KernelShape VariantOf(KernelShape shape) =>
        Holds(shape) ? shape with { Variant = shape.InChannels % Multiple == 0 ? "" : KernelGrid.Unaligned } : shape;
}
