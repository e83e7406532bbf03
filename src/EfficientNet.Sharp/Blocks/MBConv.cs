using EfficientNet.Sharp.Specs;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// EfficientNet's mobile inverted bottleneck, laid out as torchvision's <c>MBConv</c> (child
/// <c>block</c>): an optional 1×1 expansion + BN + activation, a k×k depthwise convolution + BN +
/// activation, squeeze-and-excitation, and a linear 1×1 projection + BN. When the stride is 1 and
/// the channel count is unchanged the input is added back, with stochastic depth on the branch.
/// Keys: <c>block.0.0.weight</c> (expansion), <c>block.1.0.weight</c> (depthwise),
/// <c>block.2.fc1.weight</c> (SE), <c>block.3.0.weight</c> (projection); without expansion every
/// index shifts down by one.
/// </summary>
public sealed class MBConv : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> block;

    [ComponentName(Name = "stochastic_depth")]
    private readonly StochasticDepth stochasticDepth;

    private readonly bool useResidual;

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
        int kernelSize = 3,
        int stride = 1,
        double expandRatio = 6,
        double squeezeRatio = 0.25,
        double stochasticDepthProbability = 0,
        ActivationKind activation = ActivationKind.SiLU,
        BatchNormSpec? batchNorm = null,
        PaddingMode padding = PaddingMode.Symmetric)
        : base(LibTorch.Require(nameof(MBConv)))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        Guard.Stride(stride, nameof(stride));
        Guard.ExpandRatio(expandRatio, nameof(expandRatio));

        if (!(squeezeRatio is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(squeezeRatio), squeezeRatio, "The squeeze ratio must be in [0, 1].");
        }

        BatchNormSpec bn = batchNorm ?? BatchNormSpec.PyTorchDefault;
        int expanded = BlockSpec.ExpandedChannelsOf(BlockKind.MBConv, inChannels, expandRatio);
        var layers = new List<nn.Module<Tensor, Tensor>>(4);
        if (BlockSpec.HasExpansionOf(BlockKind.MBConv, inChannels, expandRatio))
        {
            layers.Add(new ConvNormActivation(inChannels, expanded, 1, activation: activation, batchNorm: bn));
        }

        layers.Add(new ConvNormActivation(expanded, expanded, kernelSize, stride, groups: expanded, activation, bn, padding));
        int squeeze = BlockSpec.SqueezeChannelsOf(inChannels, squeezeRatio);
        if (squeeze > 0)
        {
            layers.Add(new SqueezeExcitation(expanded, squeeze, activation));
        }

        layers.Add(new ConvNormActivation(expanded, outChannels, 1, activation: ActivationKind.Identity, batchNorm: bn));
        block = nn.Sequential(layers);
        stochasticDepth = new StochasticDepth(stochasticDepthProbability);
        useResidual = BlockSpec.HasResidualOf(BlockKind.MBConv, inChannels, outChannels, stride);
        RegisterComponents();
    }

    /// <summary>Whether the block adds its input to its output.</summary>
    public bool UsesResidual => useResidual;

    /// <summary>The residual branch: optional expansion, depthwise, optional squeeze-and-excitation, projection.</summary>
    internal nn.Module<Tensor, Tensor> Branch => block;

    /// <summary>The stochastic-depth probability of the residual branch.</summary>
    public double StochasticDepthProbability => stochasticDepth.Probability;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor branch = block.call(input);
        return useResidual ? stochasticDepth.AddResidual(branch, input) : branch;
    }
}
