using EfficientNet.Sharp.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// MobileNetV2's inverted residual with a linear bottleneck, laid out as torchvision's
/// <c>InvertedResidual</c> (child <c>conv</c>): an optional 1×1 expansion + BN + activation
/// (<c>conv.0</c>), a k×k depthwise convolution + BN + activation, then a plain 1×1 projection
/// convolution and its BatchNorm as two separate children (<c>conv.2</c> / <c>conv.3</c> when
/// expanding, <c>conv.1</c> / <c>conv.2</c> otherwise). The input is added to the output when the
/// stride is 1 and the channel count is unchanged.
/// </summary>
public sealed class InvertedResidual : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv;
    private readonly bool useResidual;

    // The same children as conv, run one by one so that a folded projection BatchNorm can be skipped.
    // (A list, not fields: module fields would be registered a second time under their own names.)
    private readonly List<nn.Module<Tensor, Tensor>> layers;
    private bool folded;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels (≥ 1).</param>
    /// <param name="outChannels">Output channels (≥ 1).</param>
    /// <param name="stride">Depthwise stride (1 or 2).</param>
    /// <param name="expandRatio">Hidden-to-input ratio (≥ 1); hidden = round(in · ratio) as in torchvision.</param>
    /// <param name="kernelSize">Depthwise kernel size in pixels (positive, odd; 3 in MobileNetV2).</param>
    /// <param name="activation">Activation after the expansion and depthwise convolutions (ReLU6 in MobileNetV2).</param>
    /// <param name="batchNorm">BatchNorm settings; PyTorch's defaults when omitted.</param>
    /// <param name="padding">How the strided depthwise convolution pads its input.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range given above.</exception>
    public InvertedResidual(
        int inChannels,
        int outChannels,
        int stride = 1,
        double expandRatio = 6,
        int kernelSize = 3,
        ActivationKind activation = ActivationKind.ReLU6,
        BatchNormSpec? batchNorm = null,
        PaddingMode padding = PaddingMode.Symmetric)
        : base(LibTorch.Require(nameof(InvertedResidual)))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        Guard.Stride(stride, nameof(stride));
        Guard.ExpandRatio(expandRatio, nameof(expandRatio));

        BatchNormSpec bn = batchNorm ?? BatchNormSpec.PyTorchDefault;
        int hidden = BlockSpec.ExpandedChannelsOf(BlockKind.InvertedResidual, inChannels, expandRatio);
        layers = new List<nn.Module<Tensor, Tensor>>(4);
        if (BlockSpec.HasExpansionOf(BlockKind.InvertedResidual, inChannels, expandRatio))
        {
            layers.Add(new ConvNormActivation(inChannels, hidden, 1, activation: activation, batchNorm: bn));
        }

        layers.Add(new ConvNormActivation(hidden, hidden, kernelSize, stride, groups: hidden, activation, bn, padding));
        layers.Add(nn.Conv2d(hidden, outChannels, 1, bias: false));
        layers.Add(new BatchNormLayer(outChannels, bn.Epsilon, bn.Momentum));
        conv = nn.Sequential(layers);
        useResidual = BlockSpec.HasResidualOf(BlockKind.InvertedResidual, inChannels, outChannels, stride);
        RegisterComponents();
    }

    /// <summary>Whether the block adds its input to its output.</summary>
    public bool UsesResidual => useResidual;

    /// <summary>The layers in forward order: optional expansion, depthwise, projection convolution, projection BatchNorm.</summary>
    internal IReadOnlyList<nn.Module<Tensor, Tensor>> Layers => layers;

    /// <summary>Whether every BatchNorm has been folded (the projection BatchNorm is then skipped).</summary>
    internal bool IsFolded => folded;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor output = folded ? RunFolded(input) : conv.call(input);
        return useResidual ? output.add_(input, Scalars.One) : output;
    }

    /// <summary>Folds every BatchNorm of the block into its convolution, for inference (see <see cref="ConvNormActivation"/>).</summary>
    internal void FoldBatchNorm()
    {
        if (folded)
        {
            return;
        }

        foreach (ConvNormActivation layer in layers.OfType<ConvNormActivation>())
        {
            layer.FoldBatchNorm();
        }

        var projection = (Conv2d)layers[^2];
        (projection.weight, projection.bias) = BatchNormFolding.Fold(projection, (BatchNormLayer)layers[^1]);
        folded = true;
    }

    private Tensor RunFolded(Tensor input)
    {
        Tensor x = input;
        foreach (nn.Module<Tensor, Tensor> layer in layers)
        {
            if (layer is BatchNormLayer)
            {
                continue;
            }

            Tensor next = layer.call(x);
            if (!ReferenceEquals(x, input))
            {
                x.Dispose();
            }

            x = next;
        }

        return x;
    }
}
