using EfficientNet.Sharp.Specs;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// EfficientNetV2's fused MBConv, as torchvision builds it (see <see cref="BlockKind.FusedMBConv"/>): children
/// <c>block</c> (the k×k expansion and the 1×1 projection, or one k×k convolution when it does not expand) and
/// <c>stochastic_depth</c>, so state_dict keys equal torchvision's (<c>block.0.0.weight</c>, <c>block.1.1.running_mean</c>, …).
/// </summary>
public sealed class FusedMBConv : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> block;

    [ComponentName(Name = "stochastic_depth")]
    private readonly StochasticDepth stochasticDepth;

    private readonly bool useResidual;

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
        int kernelSize = 3,
        int stride = 1,
        double expandRatio = 4,
        double stochasticDepthProbability = 0,
        ActivationKind activation = ActivationKind.SiLU,
        BatchNormSpec? batchNorm = null,
        PaddingMode padding = PaddingMode.Symmetric)
        : base(LibTorch.Require(nameof(FusedMBConv)))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        Guard.Stride(stride, nameof(stride));
        Guard.ExpandRatio(expandRatio, nameof(expandRatio));

        BatchNormSpec bn = batchNorm ?? BatchNormSpec.PyTorchDefault;
        int expanded = BlockSpec.ExpandedChannelsOf(BlockKind.FusedMBConv, inChannels, expandRatio);
        block = BlockSpec.HasExpansionOf(BlockKind.FusedMBConv, inChannels, expandRatio)
            ? nn.Sequential(
                new ConvNormActivation(inChannels, expanded, kernelSize, stride, activation: activation, batchNorm: bn, padding: padding),
                new ConvNormActivation(expanded, outChannels, 1, activation: ActivationKind.Identity, batchNorm: bn))
            : nn.Sequential(new ConvNormActivation(inChannels, outChannels, kernelSize, stride, activation: activation, batchNorm: bn, padding: padding));
        stochasticDepth = new StochasticDepth(stochasticDepthProbability);
        useResidual = BlockSpec.HasResidualOf(BlockKind.FusedMBConv, inChannels, outChannels, stride);
        RegisterComponents();
    }

    /// <summary>Whether the input is added to the branch's output (stride 1 and unchanged channels).</summary>
    public bool UsesResidual => useResidual;

    /// <summary>The residual branch (<c>block</c>).</summary>
    internal nn.Module<Tensor, Tensor> Branch => block;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor branch = block.call(input);
        return useResidual ? stochasticDepth.AddResidual(branch, input) : branch;
    }
}
