using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// EfficientNet's mobile inverted bottleneck (<see cref="BlockKind.MBConv"/>), laid out as torchvision's <c>MBConv</c>
/// (child <c>block</c>): an optional 1×1 expansion + BN + activation, a k×k depthwise convolution + BN +
/// activation, squeeze-and-excitation, and a linear 1×1 projection + BN. When the stride is 1 and the channel count
/// is unchanged the input is added back, with stochastic depth on the branch. Keys: <c>block.0.0.weight</c>
/// (expansion), <c>block.1.0.weight</c> (depthwise), <c>block.2.fc1.weight</c> (SE), <c>block.3.0.weight</c>
/// (projection); without expansion every index shifts down by one. The layers are built from the block's definition,
/// as every <see cref="BlockModule"/>'s are.
/// </summary>
public sealed class MBConv : BlockModule
{
    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels (≥ 1).</param>
    /// <param name="outChannels">Output channels (≥ 1).</param>
    /// <param name="kernelSize">Depthwise kernel size in pixels (positive, odd: 3 or 5 in EfficientNet).</param>
    /// <param name="stride">Depthwise stride (1 or 2).</param>
    /// <param name="expandRatio">Expansion ratio (≥ 1); expanded channels are in · ratio rounded to a multiple of 8.</param>
    /// <param name="squeezeRatio">Squeeze-and-excitation ratio relative to <paramref name="inChannels"/>, in [0, 1]; 0 leaves SE out (EfficientNet-Lite).</param>
    /// <param name="stochasticDepthProbability">Probability in [0, 1] of dropping the residual branch per sample during training.</param>
    /// <param name="activation">Activation of the expansion, depthwise and SE layers (SiLU in EfficientNet).</param>
    /// <param name="batchNorm">BatchNorm settings; PyTorch's defaults when omitted.</param>
    /// <param name="padding">How the strided depthwise convolution pads its input.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range given above.</exception>
    public MBConv(
        int inChannels,
        int outChannels,
        int kernelSize,
        int stride,
        double expandRatio = 6,
        double squeezeRatio = 0.25,
        double stochasticDepthProbability = 0,
        ActivationKind activation = ActivationKind.SiLU,
        BatchNormSpec? batchNorm = null,
        PaddingMode padding = PaddingMode.Symmetric)
        : base(
            LibTorch.Require(nameof(MBConv)),
            StandaloneBlock.Of(BlockKind.MBConv, inChannels, outChannels, kernelSize, stride, expandRatio, squeezeRatio, activation, stochasticDepthProbability),
            batchNorm,
            padding)
    {
    }
}
