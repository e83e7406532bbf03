using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Blocks;

/// <summary>How a layer of a block is made of modules: this fixes its state-dict keys and the order in which its tensors live and die.</summary>
internal enum LayerShape
{
    /// <summary>A <see cref="ConvNormActivation"/>: convolution at <c>{Path}.0</c>, BatchNorm at <c>{Path}.1</c>, the activation (if any) after.</summary>
    ConvNormActivation,

    /// <summary>A plain convolution at <c>{Path}</c> and its BatchNorm at <see cref="BlockLayer.NormPath"/>, siblings in the block (MobileNetV2's projection).</summary>
    ConvThenNorm,

    /// <summary>Squeeze-and-excitation at <c>{Path}</c>: <c>fc1</c> reduces, <c>fc2</c> expands (1×1 convolutions with biases), then the gate.</summary>
    SqueezeExcitation,
}

/// <summary>
/// One weighted layer of a block, as the cost walk and the key map read it: where it sits (relative to the
/// block's module path), what it computes, and its names in timm's and lukemelas' layouts.
/// </summary>
/// <param name="Shape">How it is made of modules.</param>
/// <param name="Path">Its module path relative to the block, e.g. <c>block.1</c> or <c>conv.2</c>.</param>
/// <param name="Kind">Its kind for the cost tables.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="OutChannels">Output channels; for squeeze-and-excitation, the squeezed channels.</param>
/// <param name="KernelSize">Square kernel size.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Groups">Convolution groups (the channel count for a depthwise convolution).</param>
/// <param name="Activation">The activation that follows (squeeze-and-excitation: after <c>fc1</c>); <see cref="ActivationKind.Identity"/> for none.</param>
internal sealed record BlockLayer(LayerShape Shape, string Path, LayerKind Kind, int InChannels, int OutChannels, int KernelSize, int Stride, int Groups, ActivationKind Activation)
{
    /// <summary>Whether an activation follows.</summary>
    public bool Activated => Activation != ActivationKind.Identity;

    /// <summary>For squeeze-and-excitation: whether the gate is a hard sigmoid (MobileNetV3) rather than a sigmoid.</summary>
    public bool HardSigmoidGate { get; init; }

    /// <summary>The BatchNorm's path relative to the block, for <see cref="LayerShape.ConvThenNorm"/>.</summary>
    public string? NormPath { get; init; }

    /// <summary>Names relative to timm's block (<c>blocks.{stage}.{index}</c>); none where timm's layout is not mapped.</summary>
    public ForeignNames Timm { get; init; } = ForeignNames.None;

    /// <summary>Names relative to lukemelas' block (<c>_blocks.{index}</c>); none where that layout is not mapped.</summary>
    public ForeignNames Lukemelas { get; init; } = ForeignNames.None;
}

/// <summary>A layer's two weighted modules in another layout: the convolution and its BatchNorm, or squeeze-and-excitation's reduce and expand.</summary>
/// <param name="First">The convolution (or the reducing convolution).</param>
/// <param name="Second">The BatchNorm (or the expanding convolution).</param>
internal sealed record ForeignNames(string? First, string? Second)
{
    public static ForeignNames None { get; } = new(null, null);
}
