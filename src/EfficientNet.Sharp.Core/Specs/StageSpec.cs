namespace EfficientNet.Sharp.Specs;

/// <summary>
/// A stage: <see cref="Repeats"/> blocks of one kind. Only the first block applies the stage's
/// stride and changes channels from <see cref="InChannels"/> to <see cref="OutChannels"/>; the
/// repeated blocks use stride 1 and keep <see cref="OutChannels"/> (as in every reference).
/// </summary>
/// <param name="Block">The block kind.</param>
/// <param name="ExpandRatio">Hidden-to-input channel ratio of the expansion (1 = no expansion convolution).</param>
/// <param name="KernelSize">Depthwise kernel size in pixels (odd).</param>
/// <param name="Stride">Stride of the first block's depthwise convolution (1 or 2).</param>
/// <param name="InChannels">Input channels of the first block.</param>
/// <param name="OutChannels">Output channels of every block.</param>
/// <param name="Repeats">Number of blocks (at least 1).</param>
/// <param name="SqueezeRatio">Squeeze-and-excitation ratio relative to the block's input channels (0 = no SE).</param>
/// <param name="Activation">Activation after the expansion and depthwise convolutions.</param>
public sealed record StageSpec(
    BlockKind Block,
    double ExpandRatio,
    int KernelSize,
    int Stride,
    int InChannels,
    int OutChannels,
    int Repeats,
    double SqueezeRatio,
    ActivationKind Activation);
