namespace EfficientNet.Sharp.Analysis;

/// <summary>One weighted layer of a network and what it costs, computed from the spec.</summary>
/// <param name="Path">The module path of the convolution or linear layer, as in state_dict keys (<c>features.2.0.block.1.0</c>).</param>
/// <param name="Part">Which part of the network the layer belongs to (<c>stem</c>, <c>stage 3</c>, <c>head</c>, <c>classifier</c>).</param>
/// <param name="Kind">The kind of layer.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="KernelSize">Square kernel size in pixels (1 for linear layers).</param>
/// <param name="Stride">Stride.</param>
/// <param name="Groups">Convolution groups (channels for a depthwise convolution).</param>
/// <param name="InputHeight">Input height in pixels (1 for linear and squeeze-and-excitation layers).</param>
/// <param name="InputWidth">Input width in pixels.</param>
/// <param name="OutputHeight">Output height in pixels.</param>
/// <param name="OutputWidth">Output width in pixels.</param>
/// <param name="Parameters">Learnable parameters: weights, bias, and the γ and β of the BatchNorm that follows, if any.</param>
/// <param name="MultiplyAccumulates">Multiply-accumulates for one image: output pixels × output channels × input channels per group × k².</param>
public sealed record LayerCost(
    string Path,
    string Part,
    LayerKind Kind,
    int InChannels,
    int OutChannels,
    int KernelSize,
    int Stride,
    int Groups,
    int InputHeight,
    int InputWidth,
    int OutputHeight,
    int OutputWidth,
    long Parameters,
    long MultiplyAccumulates);
