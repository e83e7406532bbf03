namespace EfficientNet.Sharp.TfLite.Recognition;

/// <summary>
/// One block of the file's graph: a depthwise convolution between 1×1 convolutions, optionally expanded
/// first and optionally added to its input.
/// </summary>
/// <param name="Expand">The 1×1 expansion, absent when the block does not expand.</param>
/// <param name="Depthwise">The depthwise k×k convolution.</param>
/// <param name="Project">The 1×1 convolution after it: with an activation in MobileNetV1's depthwise-separable block, linear in a bottleneck.</param>
/// <param name="Residual">Whether an ADD joins the block's input to its output.</param>
internal sealed record ImportedBlock(ImportedConv? Expand, ImportedConv Depthwise, ImportedConv Project, bool Residual)
{
    /// <summary>MobileNetV1's block: no expansion and an activation after the pointwise convolution.</summary>
    public bool IsDepthwiseSeparable => Expand is null && Project.Activation != Specs.ActivationKind.Identity;

    public int InChannels => Expand?.InChannels ?? Depthwise.InChannels;

    public int OutChannels => Project.OutChannels;

    public int ExpandedChannels => Depthwise.OutChannels;

    public double ExpandRatio => ExpandedChannels / (double)InChannels;

    public int KernelSize => Depthwise.KernelSize;

    public int Stride => Depthwise.Stride;

    public IEnumerable<ImportedConv> Convolutions => Expand is null ? [Depthwise, Project] : [Expand, Depthwise, Project];
}
