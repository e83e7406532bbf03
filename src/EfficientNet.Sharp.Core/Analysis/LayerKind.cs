namespace EfficientNet.Sharp.Analysis;

/// <summary>The kinds of layer that carry parameters and multiply-accumulates.</summary>
public enum LayerKind
{
    /// <summary>A dense convolution (groups = 1), with the BatchNorm that follows it.</summary>
    Convolution,

    /// <summary>A depthwise convolution (groups = channels), with the BatchNorm that follows it.</summary>
    DepthwiseConvolution,

    /// <summary>One of the two 1×1 convolutions (with bias) of a squeeze-and-excitation layer, on a 1×1 map.</summary>
    SqueezeExcitation,

    /// <summary>The classifier's linear layer (with bias).</summary>
    Linear,
}
