using EfficientNet.Sharp.Specs;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// MobileNetV3's bottleneck, as torchvision's <c>mobilenetv3.InvertedResidual</c> builds it (see
/// <see cref="BlockKind.MobileNetV3"/>): children under <c>block</c> (expansion when the expanded channels differ
/// from the input, depthwise, squeeze-and-excitation when present, projection), so state_dict keys equal
/// torchvision's (<c>block.0.0.weight</c>, <c>block.2.fc1.weight</c>, …).
/// </summary>
public sealed class MobileNetV3Block : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> block;
    private readonly bool useResidual;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels (≥ 1).</param>
    /// <param name="expandedChannels">Channels of the depthwise convolution (≥ 1); equal to the input for no expansion.</param>
    /// <param name="outChannels">Output channels (≥ 1).</param>
    /// <param name="kernelSize">Depthwise kernel size (positive, odd).</param>
    /// <param name="stride">Depthwise stride (1 or 2).</param>
    /// <param name="squeezeChannels">Squeeze-and-excitation channels, or 0 for none.</param>
    /// <param name="activation">The block's activation: ReLU or hard-swish in the presets.</param>
    /// <param name="batchNorm">BatchNorm settings; torchvision's MobileNetV3 uses ε = 0.001, momentum 0.01.</param>
    /// <param name="padding">How the strided depthwise convolution pads its input.</param>
    /// <exception cref="ArgumentOutOfRangeException">A channel count, the kernel or the stride is out of range.</exception>
    public MobileNetV3Block(
        int inChannels,
        int expandedChannels,
        int outChannels,
        int kernelSize,
        int stride,
        int squeezeChannels,
        ActivationKind activation,
        BatchNormSpec batchNorm,
        PaddingMode padding = PaddingMode.Symmetric)
        : base(LibTorch.Require(nameof(MobileNetV3Block)))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(expandedChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegative(squeezeChannels);
        ArgumentNullException.ThrowIfNull(batchNorm);
        Guard.Stride(stride, nameof(stride));

        var layers = new List<nn.Module<Tensor, Tensor>>(4);
        if (expandedChannels != inChannels)
        {
            layers.Add(new ConvNormActivation(inChannels, expandedChannels, 1, activation: activation, batchNorm: batchNorm));
        }

        layers.Add(new ConvNormActivation(expandedChannels, expandedChannels, kernelSize, stride, groups: expandedChannels, activation, batchNorm, padding));
        if (squeezeChannels > 0)
        {
            layers.Add(new SqueezeExcitation(expandedChannels, squeezeChannels, ActivationKind.ReLU, hardSigmoidGate: true));
        }

        layers.Add(new ConvNormActivation(expandedChannels, outChannels, 1, activation: ActivationKind.Identity, batchNorm: batchNorm));
        block = nn.Sequential(layers);
        useResidual = BlockSpec.HasResidualOf(BlockKind.MobileNetV3, inChannels, outChannels, stride);
        RegisterComponents();
    }

    /// <summary>Whether the input is added to the projection's output (stride 1 and unchanged channels).</summary>
    public bool UsesResidual => useResidual;

    /// <summary>The residual branch (<c>block</c>): the layers in order.</summary>
    internal nn.Module<Tensor, Tensor> Branch => block;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor branch = block.call(input);
        return useResidual ? branch.add_(input, Scalars.One) : branch;
    }
}
