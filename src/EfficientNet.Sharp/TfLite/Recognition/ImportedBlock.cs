namespace EfficientNet.Sharp.TfLite.Recognition;

/// <summary>
/// One block of the file's graph: a depthwise convolution between 1×1 convolutions, optionally expanded
/// first and optionally added to its input.
/// </summary>
/// <param name="Expand">The 1×1 expansion, absent when the block does not expand.</param>
/// <param name="Depthwise">The depthwise k×k convolution.</param>
/// <param name="Squeeze">Squeeze-and-excitation after the depthwise convolution (EfficientNet), if any.</param>
/// <param name="Project">The 1×1 convolution after it: with an activation in MobileNetV1's depthwise-separable block, linear in a bottleneck.</param>
/// <param name="Residual">Whether an ADD joins the block's input to its output.</param>
internal sealed record ImportedBlock(ImportedConv? Expand, ImportedConv Depthwise, ImportedSqueeze? Squeeze, ImportedConv Project, bool Residual)
{
    /// <summary>The block's output tensor: the residual sum, or the projection's output.</summary>
    public required int Output { get; init; }

    /// <summary>MobileNetV1's block: no expansion and an activation after the pointwise convolution.</summary>
    public bool IsDepthwiseSeparable => Expand is null && Project.Activation != Specs.ActivationKind.Identity;

    public int InChannels => Expand?.InChannels ?? Depthwise.InChannels;

    public int OutChannels => Project.OutChannels;

    public int ExpandedChannels => Depthwise.OutChannels;

    public double ExpandRatio => ExpandedChannels / (double)InChannels;

    public int KernelSize => Depthwise.KernelSize;

    public int Stride => Depthwise.Stride;

    /// <summary>The block's convolutions in the order our modules hold them: expansion, depthwise, squeeze-and-excitation, projection.</summary>
    public IEnumerable<ImportedConv> Convolutions =>
        (Expand is null ? Array.Empty<ImportedConv>() : [Expand])
        .Append(Depthwise)
        .Concat(Squeeze is null ? [] : [Squeeze.Reduce, Squeeze.Expand])
        .Append(Project);
}

/// <summary>Squeeze-and-excitation's two 1×1 convolutions, with their own biases and no BatchNorm.</summary>
/// <param name="Reduce">Expanded channels to squeeze channels, with the block's activation.</param>
/// <param name="Expand">Squeeze channels back to expanded channels, before the gate.</param>
/// <param name="HardSigmoidGate">Whether the gate is the hard sigmoid (MobileNetV3) rather than the sigmoid (EfficientNet).</param>
internal sealed record ImportedSqueeze(ImportedConv Reduce, ImportedConv Expand, bool HardSigmoidGate)
{
    /// <summary>The block's tensor scaled by the gate.</summary>
    public required int Output { get; init; }
}
