using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// MobileNetV2's inverted residual with a linear bottleneck (<see cref="BlockKind.InvertedResidual"/>), laid out as
/// torchvision's <c>InvertedResidual</c> (child <c>conv</c>): an optional 1×1 expansion + BN + activation
/// (<c>conv.0</c>), a k×k depthwise convolution + BN + activation, then a plain 1×1 projection convolution and its
/// BatchNorm as two separate children (<c>conv.2</c> / <c>conv.3</c> when expanding, <c>conv.1</c> / <c>conv.2</c>
/// otherwise). The input is added to the output when the stride is 1 and the channel count is unchanged. The layers
/// are built from the block's definition, as every <see cref="BlockModule"/>'s are.
/// </summary>
public sealed class InvertedResidual : BlockModule
{
    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels (≥ 1).</param>
    /// <param name="outChannels">Output channels (≥ 1).</param>
    /// <param name="kernelSize">Depthwise kernel size in pixels (positive, odd; 3 in MobileNetV2).</param>
    /// <param name="stride">Depthwise stride (1 or 2).</param>
    /// <param name="expandRatio">Hidden-to-input ratio (≥ 1); hidden = round(in · ratio) as in torchvision.</param>
    /// <param name="activation">Activation after the expansion and depthwise convolutions (ReLU6 in MobileNetV2).</param>
    /// <param name="batchNorm">BatchNorm settings; PyTorch's defaults when omitted.</param>
    /// <param name="padding">How the strided depthwise convolution pads its input.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range given above.</exception>
    public InvertedResidual(
        int inChannels,
        int outChannels,
        int kernelSize,
        int stride,
        double expandRatio = 6,
        ActivationKind activation = ActivationKind.ReLU6,
        BatchNormSpec? batchNorm = null,
        PaddingMode padding = PaddingMode.Symmetric)
        : base(
            LibTorch.Require(nameof(InvertedResidual)),
            StandaloneBlock.Of(BlockKind.InvertedResidual, inChannels, outChannels, kernelSize, stride, expandRatio, squeezeRatio: 0, activation, stochasticDepthProbability: 0),
            batchNorm,
            padding)
    {
    }
}
