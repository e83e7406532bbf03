using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// MobileNetV1's depthwise-separable convolution (<see cref="BlockKind.DepthwiseSeparable"/>): a k×k depthwise
/// convolution + BN + activation (children <c>depthwise.0/1</c>), then a 1×1 pointwise convolution + BN + activation
/// (<c>pointwise.0/1</c>). It has no residual connection. The paper uses ReLU; TensorFlow's released checkpoints use
/// ReLU6. The layers are built from the block's definition, as every <see cref="BlockModule"/>'s are.
/// </summary>
public sealed class DepthwiseSeparableConv : BlockModule
{
    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels (≥ 1).</param>
    /// <param name="outChannels">Output channels (≥ 1).</param>
    /// <param name="kernelSize">Depthwise kernel size in pixels (positive, odd; 3 in MobileNetV1).</param>
    /// <param name="stride">Stride of the depthwise convolution (1 or 2).</param>
    /// <param name="activation">Activation after both normalisations.</param>
    /// <param name="batchNorm">BatchNorm settings; PyTorch's defaults when omitted.</param>
    /// <param name="padding">How the strided depthwise convolution pads its input.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range given above.</exception>
    public DepthwiseSeparableConv(
        int inChannels,
        int outChannels,
        int kernelSize,
        int stride,
        ActivationKind activation = ActivationKind.ReLU,
        BatchNormSpec? batchNorm = null,
        PaddingMode padding = PaddingMode.Symmetric)
        : base(
            LibTorch.Require(nameof(DepthwiseSeparableConv)),
            StandaloneBlock.Of(BlockKind.DepthwiseSeparable, inChannels, outChannels, kernelSize, stride, expandRatio: 1, squeezeRatio: 0, activation, stochasticDepthProbability: 0),
            batchNorm,
            padding)
    {
    }
}
