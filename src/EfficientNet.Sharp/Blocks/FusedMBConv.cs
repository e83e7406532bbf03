using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// EfficientNetV2's fused MBConv, as torchvision builds it (see <see cref="BlockKind.FusedMBConv"/>): children
/// <c>block</c> (the k×k expansion and the 1×1 projection, or one k×k convolution when it does not expand) and
/// <c>stochastic_depth</c>, so state_dict keys equal torchvision's (<c>block.0.0.weight</c>, <c>block.1.1.running_mean</c>, …).
/// The layers are built from the block's definition, as every <see cref="BlockModule"/>'s are.
/// </summary>
public sealed class FusedMBConv : BlockModule
{
    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels (≥ 1).</param>
    /// <param name="outChannels">Output channels (≥ 1).</param>
    /// <param name="kernelSize">Kernel of the fused convolution (positive, odd).</param>
    /// <param name="stride">Stride of the fused convolution (1 or 2).</param>
    /// <param name="expandRatio">Expansion ratio (≥ 1); expanded channels are rounded to a multiple of 8.</param>
    /// <param name="stochasticDepthProbability">Probability of dropping the residual branch in training.</param>
    /// <param name="activation">Activation after the fused convolution (SiLU in EfficientNetV2).</param>
    /// <param name="batchNorm">BatchNorm settings; torchvision's EfficientNetV2 uses ε = 0.001.</param>
    /// <param name="padding">How the strided convolution pads its input.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public FusedMBConv(
        int inChannels,
        int outChannels,
        int kernelSize,
        int stride,
        double expandRatio = 4,
        double stochasticDepthProbability = 0,
        ActivationKind activation = ActivationKind.SiLU,
        BatchNormSpec? batchNorm = null,
        PaddingMode padding = PaddingMode.Symmetric)
        : base(
            LibTorch.Require(nameof(FusedMBConv)),
            StandaloneBlock.Of(BlockKind.FusedMBConv, inChannels, outChannels, kernelSize, stride, expandRatio, squeezeRatio: 0, activation, stochasticDepthProbability),
            batchNorm,
            padding)
    {
    }
}
