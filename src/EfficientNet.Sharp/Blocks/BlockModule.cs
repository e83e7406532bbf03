using EfficientNet.Sharp.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// A block of any kind, built from its layer definition (the one list of layers the cost walk, the key map and the
/// ONNX writer also read): each layer becomes a <see cref="ConvNormActivation"/>, a convolution with a sibling
/// BatchNorm, or a <see cref="SqueezeExcitation"/> at the path the definition gives, so the state-dict keys are
/// torchvision's (<c>block.0.0.weight</c> for EfficientNet's MBConv, <c>conv.2.weight</c> for MobileNetV2's
/// projection, <c>depthwise.0.weight</c> for MobileNetV1). The layers run in the definition's order; when the block
/// has a residual, the input is added back, with stochastic depth on the branch during training when the spec gives
/// a probability.
/// </summary>
/// <remarks>
/// <see cref="MBConv"/>, <see cref="FusedMBConv"/>, <see cref="InvertedResidual"/>, <see cref="MobileNetV3Block"/>
/// and <see cref="DepthwiseSeparableConv"/> are this module with the arguments of their papers, in one order for
/// all five: channels in and out, kernel size and stride (all four required), then the kind's own (expansion,
/// squeeze-and-excitation, stochastic depth), then activation, BatchNorm and padding. A network's blocks are
/// <see cref="BlockModule"/>s whose <see cref="Kind"/> says which.
/// </remarks>
public class BlockModule : nn.Module<Tensor, Tensor>
{
    /// <summary>The layers in forward order, with the modules that compute them (children registered under their paths).</summary>
    private readonly List<Step> steps = [];

    private readonly StochasticDepth? stochasticDepth;

    /// <summary>Creates the block a spec describes.</summary>
    /// <param name="block">The block: its kind, channels, kernel, stride, ratios, activation and stochastic-depth probability.</param>
    /// <param name="batchNorm">BatchNorm settings of the network; PyTorch's defaults when omitted.</param>
    /// <param name="padding">How the block's strided convolution pads its input.</param>
    /// <exception cref="ArgumentNullException"><paramref name="block"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value of the spec is out of range.</exception>
    /// <exception cref="NotSupportedException">The spec's kind has no layer definition.</exception>
    public BlockModule(BlockSpec block, BatchNormSpec? batchNorm = null, PaddingMode padding = PaddingMode.Symmetric)
        : this(LibTorch.Require(nameof(BlockModule)), Checked(block, field => $"{nameof(block)}.{field}"), batchNorm, padding)
    {
    }

    /// <summary>Creates the block under a module name of the caller's (the named block classes).</summary>
    private protected BlockModule(string name, BlockSpec block, BatchNormSpec? batchNorm, PaddingMode padding)
        : base(name)
    {
        Spec = block;
        BatchNormSpec bn = batchNorm ?? BatchNormSpec.PyTorchDefault;
        var containers = new List<(string Name, List<(string Child, nn.Module<Tensor, Tensor> Module)> Children)>();
        foreach (BlockLayer layer in BlockLayers.Of(block))
        {
            Step step = Build(layer, bn, padding);
            steps.Add(step);
            Place(containers, layer.Path, step.Module);
            if (step.Norm is not null)
            {
                Place(containers, layer.NormPath!, step.Norm);
            }
        }

        foreach ((string container, List<(string Child, nn.Module<Tensor, Tensor> Module)> children) in containers)
        {
            if (children is [(string only, var module)] && only.Length == 0)
            {
                register_module(container, module);
                continue;
            }

            // torchvision's containers are Sequentials: children named 0, 1, … in forward order.
            for (int i = 0; i < children.Count; i++)
            {
                if (children[i].Child != i.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    throw new InvalidOperationException($"The {block.Kind} definition places '{container}.{children[i].Child}' where a sequence needs child {i}.");
                }
            }

            register_module(container, nn.Sequential(children.Select(c => c.Module)));
        }

        if (block.HasResidual)
        {
            stochasticDepth = new StochasticDepth(block.StochasticDepthProbability);
            register_module("stochastic_depth", stochasticDepth);
        }
    }

    /// <summary>The block this module computes.</summary>
    public BlockSpec Spec { get; }

    /// <summary>The block kind.</summary>
    public BlockKind Kind => Spec.Kind;

    /// <summary>Whether the block adds its input to its output.</summary>
    public bool UsesResidual => stochasticDepth is not null;

    /// <summary>The probability that the residual branch is dropped for a sample in training (0 without a residual).</summary>
    public double StochasticDepthProbability => stochasticDepth?.Probability ?? 0;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor x = input;
        foreach (Step step in steps)
        {
            Tensor next = step.Run(x);

            // Each intermediate is freed as soon as the next layer has run (as a Sequential does); the input is the caller's.
            if (!ReferenceEquals(x, input))
            {
                x.Dispose();
            }

            x = next;
        }

        return stochasticDepth is null ? x : stochasticDepth.AddResidual(x, input);
    }

    /// <summary>Folds each BatchNorm that is a sibling of its convolution (MobileNetV2's projection) into it; <see cref="ConvNormActivation"/>s fold themselves.</summary>
    internal void FoldBatchNorm()
    {
        foreach (Step step in steps)
        {
            step.FoldNorm();
        }
    }

    /// <summary>
    /// Checks a block's values before any module is built, naming the bad one as the caller knows it
    /// (<c>block.Stride</c> for a spec, <c>stride</c> for a named block's argument).
    /// </summary>
    /// <param name="block">The block.</param>
    /// <param name="parameterName">The caller's name for a field of <see cref="BlockSpec"/>.</param>
    internal static BlockSpec Checked(BlockSpec block, Func<string, string> parameterName)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(block.InChannels, parameterName(nameof(BlockSpec.InChannels)));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(block.OutChannels, parameterName(nameof(BlockSpec.OutChannels)));
        if (block.KernelSize < 1 || block.KernelSize % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(parameterName(nameof(BlockSpec.KernelSize)), block.KernelSize, "The kernel size must be a positive odd number.");
        }

        Guard.Stride(block.Stride, parameterName(nameof(BlockSpec.Stride)));
        Guard.ExpandRatio(block.ExpandRatio, parameterName(nameof(BlockSpec.ExpandRatio)));
        Guard.UnitInterval(block.SqueezeRatio, parameterName(nameof(BlockSpec.SqueezeRatio)));
        Guard.UnitInterval(block.StochasticDepthProbability, parameterName(nameof(BlockSpec.StochasticDepthProbability)));
        if (!BlockSpec.CanExpandOf(block.Kind) && block.ExpandRatio != 1)
        {
            throw new ArgumentOutOfRangeException(parameterName(nameof(BlockSpec.ExpandRatio)), block.ExpandRatio, $"A {block.Kind} block does not expand: the ratio must be 1.");
        }

        if (!BlockSpec.HasSqueezeExcitationOf(block.Kind) && block.SqueezeRatio != 0)
        {
            throw new ArgumentOutOfRangeException(parameterName(nameof(BlockSpec.SqueezeRatio)), block.SqueezeRatio, $"A {block.Kind} block has no squeeze-and-excitation: the ratio must be 0.");
        }

        return block;
    }

    private static Step Build(BlockLayer layer, BatchNormSpec bn, PaddingMode padding) => layer.Shape switch
    {
        LayerShape.ConvNormActivation => new Step(
            new ConvNormActivation(layer.InChannels, layer.OutChannels, layer.KernelSize, layer.Stride, layer.Groups, layer.Activation, bn, padding), null),
        LayerShape.ConvThenNorm when layer.Stride > 1 && padding == PaddingMode.TensorFlowSame =>
            throw new NotSupportedException($"A plain convolution with its BatchNorm beside it ('{layer.Path}') has no TensorFlow \"SAME\" padding for stride {layer.Stride}."),
        LayerShape.ConvThenNorm => new Step(
            nn.Conv2d(layer.InChannels, layer.OutChannels, layer.KernelSize, stride: layer.Stride, padding: (layer.KernelSize - 1) / 2, groups: layer.Groups, bias: false),
            new BatchNormLayer(layer.OutChannels, bn.Epsilon, bn.Momentum)),
        LayerShape.SqueezeExcitation => new Step(new SqueezeExcitation(layer.InChannels, layer.OutChannels, layer.Activation, layer.HardSigmoidGate), null),
        _ => throw new NotSupportedException($"No module for layer shape {layer.Shape} (at '{layer.Path}')."),
    };

    /// <summary>Files a module under its container (the path before the last dot) as the child the path names; a path without a dot is a child of the block itself.</summary>
    private static void Place(List<(string Name, List<(string Child, nn.Module<Tensor, Tensor> Module)> Children)> containers, string path, nn.Module<Tensor, Tensor> module)
    {
        int dot = path.LastIndexOf('.');
        (string container, string child) = dot < 0 ? (path, string.Empty) : (path[..dot], path[(dot + 1)..]);
        if (container.Contains('.', StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Layer path '{path}' is nested more than one container deep.");
        }

        int at = containers.FindIndex(c => c.Name == container);
        if (at < 0)
        {
            containers.Add((container, [(child, module)]));
        }
        else if (child.Length == 0 || containers[at].Children[0].Child.Length == 0)
        {
            throw new InvalidOperationException($"Layer path '{path}' is used twice.");
        }
        else
        {
            containers[at].Children.Add((child, module));
        }
    }

    /// <summary>One layer: its module, and for a convolution whose BatchNorm is its sibling, that BatchNorm until it is folded.</summary>
    private sealed class Step(nn.Module<Tensor, Tensor> module, BatchNormLayer? norm)
    {
        private bool folded;

        public nn.Module<Tensor, Tensor> Module => module;

        public BatchNormLayer? Norm => norm;

        public Tensor Run(Tensor input)
        {
            Tensor output = module.call(input);
            if (norm is null || folded)
            {
                return output;
            }

            using (output)
            {
                return norm.call(output);
            }
        }

        public void FoldNorm()
        {
            if (norm is null || folded)
            {
                return;
            }

            var conv = (Conv2d)module;
            (conv.weight, conv.bias) = BatchNormFolding.Fold(conv, norm);
            folded = true;
        }
    }
}
