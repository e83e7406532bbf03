using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// MobileNetV3's bottleneck, as torchvision's <c>mobilenetv3.InvertedResidual</c> builds it (see
/// <see cref="BlockKind.MobileNetV3"/>): children under <c>block</c> (expansion when the expanded channels differ
/// from the input, depthwise, squeeze-and-excitation when present, projection), so state_dict keys equal
/// torchvision's (<c>block.0.0.weight</c>, <c>block.2.fc1.weight</c>, …). The layers are built from the block's
/// definition, as every <see cref="BlockModule"/>'s are.
/// </summary>
public sealed class MobileNetV3Block : BlockModule
{
    /// <summary>Creates the block from the values of torchvision's <c>InvertedResidualConfig</c>, in the order every block takes: channels in and out, kernel, stride, then the block's own.</summary>
    /// <param name="inChannels">Input channels (≥ 1).</param>
    /// <param name="outChannels">Output channels (≥ 1).</param>
    /// <param name="kernelSize">Depthwise kernel size (positive, odd).</param>
    /// <param name="stride">Depthwise stride (1 or 2).</param>
    /// <param name="expandedChannels">Channels of the depthwise convolution (≥ <paramref name="inChannels"/>); equal to the input for no expansion.</param>
    /// <param name="squeezeExcitation">Whether the block has squeeze-and-excitation (⌊expanded / 4⌋ rounded to a multiple of 8 channels, ReLU, hard-sigmoid gate).</param>
    /// <param name="activation">The block's activation: ReLU or hard-swish in the presets.</param>
    /// <param name="batchNorm">BatchNorm settings; torchvision's MobileNetV3 uses ε = 0.001, momentum 0.01.</param>
    /// <param name="padding">How the strided depthwise convolution pads its input.</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count, the kernel or the stride is out of range.</exception>
    public MobileNetV3Block(
        int inChannels,
        int outChannels,
        int kernelSize,
        int stride,
        int expandedChannels,
        bool squeezeExcitation,
        ActivationKind activation,
        BatchNormSpec? batchNorm = null,
        PaddingMode padding = PaddingMode.Symmetric)
        : base(
            LibTorch.Require(nameof(MobileNetV3Block)),
            StandaloneBlock.Of(BlockKind.MobileNetV3, inChannels, outChannels, kernelSize, stride, ExpandRatio(inChannels, expandedChannels), squeezeExcitation ? 0.25 : 0, activation, stochasticDepthProbability: 0),
            batchNorm,
            padding)
    {
    }

    /// <summary>The ratio whose rounding (round(in · ratio)) gives back the expanded channels exactly.</summary>
    private static double ExpandRatio(int inChannels, int expandedChannels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfLessThan(expandedChannels, inChannels);
        return (double)expandedChannels / inChannels;
    }
}
