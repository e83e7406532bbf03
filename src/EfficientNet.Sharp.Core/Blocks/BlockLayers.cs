using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Blocks;

/// <summary>
/// Each block kind's layers, written once: the cost walk (<see cref="Analysis.NetworkAnalyzer"/>) and the key map
/// (<see cref="Weights.KeyMapping"/>) both read this list, and tests hold the modules of <c>BlockFactory</c>
/// to it (every path and shape, in the forward hooks and the state dict). A new block kind is one arm here plus
/// its module.
/// </summary>
internal static class BlockLayers
{
    public static IReadOnlyList<BlockLayer> Of(BlockSpec block) => block.Kind switch
    {
        BlockKind.MBConv => MBConv(block, foreignNames: true, ActivationOf(block), hardSigmoidGate: false),

        // torchvision's MobileNetV3 block has MBConv's layers under the same names; its squeeze-and-excitation
        // squeezes from the expanded channels (BlockSpec counts them), with ReLU and a hard-sigmoid gate. Timm's and
        // lukemelas' layouts are not mapped for it.
        BlockKind.MobileNetV3 => MBConv(block, foreignNames: false, ActivationKind.ReLU, hardSigmoidGate: true),
        BlockKind.FusedMBConv => FusedMBConv(block),
        BlockKind.InvertedResidual => InvertedResidual(block),
        BlockKind.DepthwiseSeparable => DepthwiseSeparable(block),
        _ => throw new NotSupportedException($"No layer definition for block kind {block.Kind} (block {block.Index})."),
    };

    /// <summary>torchvision's MBConv: [expand 1×1], depthwise k×k, [squeeze-and-excitation], linear projection 1×1, under <c>block.{i}</c>.</summary>
    private static BlockLayer[] MBConv(BlockSpec block, bool foreignNames, ActivationKind squeezeActivation, bool hardSigmoidGate)
    {
        bool expands = block.HasExpansion;
        ActivationKind act = ActivationOf(block);
        int expanded = block.ExpandedChannels;
        var layers = new List<BlockLayer>();
        ForeignNames Names(string first, string second) => foreignNames ? new(first, second) : ForeignNames.None;
        if (expands)
        {
            layers.Add(new BlockLayer(LayerShape.ConvNormActivation, $"block.{layers.Count}", LayerKind.Convolution, block.InChannels, expanded, 1, 1, 1, act)
            {
                Timm = Names("conv_pw", "bn1"),
                Lukemelas = Names("_expand_conv", "_bn0"),
            });
        }

        layers.Add(new BlockLayer(LayerShape.ConvNormActivation, $"block.{layers.Count}", LayerKind.DepthwiseConvolution, expanded, expanded, block.KernelSize, block.Stride, expanded, act)
        {
            Timm = Names("conv_dw", expands ? "bn2" : "bn1"),
            Lukemelas = Names("_depthwise_conv", "_bn1"),
        });
        if (block.SqueezeChannels > 0)
        {
            layers.Add(new BlockLayer(LayerShape.SqueezeExcitation, $"block.{layers.Count}", LayerKind.SqueezeExcitation, expanded, block.SqueezeChannels, 1, 1, 1, squeezeActivation)
            {
                HardSigmoidGate = hardSigmoidGate,
                Timm = Names("se.conv_reduce", "se.conv_expand"),
                Lukemelas = Names("_se_reduce", "_se_expand"),
            });
        }

        layers.Add(new BlockLayer(LayerShape.ConvNormActivation, $"block.{layers.Count}", LayerKind.Convolution, expanded, block.OutChannels, 1, 1, 1, ActivationKind.Identity)
        {
            Timm = Names(expands ? "conv_pwl" : "conv_pw", expands ? "bn3" : "bn2"),
            Lukemelas = Names("_project_conv", "_bn2"),
        });
        return [.. layers];
    }

    /// <summary>The activation of a block's expansion, depthwise and (EfficientNet) squeeze-and-excitation layers.</summary>
    private static ActivationKind ActivationOf(BlockSpec block) => block.Activation;

    /// <summary>torchvision's FusedMBConv (EfficientNetV2): a k×k convolution, then a linear 1×1 projection when it expands.</summary>
    private static BlockLayer[] FusedMBConv(BlockSpec block)
    {
        ActivationKind act = ActivationOf(block);
        return block.HasExpansion
            ? [
                new(LayerShape.ConvNormActivation, "block.0", LayerKind.Convolution, block.InChannels, block.ExpandedChannels, block.KernelSize, block.Stride, 1, act),
                new(LayerShape.ConvNormActivation, "block.1", LayerKind.Convolution, block.ExpandedChannels, block.OutChannels, 1, 1, 1, ActivationKind.Identity),
            ]
            : [new(LayerShape.ConvNormActivation, "block.0", LayerKind.Convolution, block.InChannels, block.OutChannels, block.KernelSize, block.Stride, 1, act)];
    }

    /// <summary>
    /// torchvision's MobileNetV2 InvertedResidual: [expand 1×1], depthwise k×k, then a plain 1×1 convolution and
    /// a BatchNorm as siblings under <c>conv</c>. timm names the first, unexpanded block a DepthwiseSeparable.
    /// </summary>
    private static BlockLayer[] InvertedResidual(BlockSpec block)
    {
        bool expands = block.HasExpansion;
        ActivationKind act = ActivationOf(block);
        int expanded = block.ExpandedChannels;
        var layers = new List<BlockLayer>();
        if (expands)
        {
            layers.Add(new BlockLayer(LayerShape.ConvNormActivation, "conv.0", LayerKind.Convolution, block.InChannels, expanded, 1, 1, 1, act) { Timm = new("conv_pw", "bn1") });
        }

        layers.Add(new BlockLayer(LayerShape.ConvNormActivation, $"conv.{layers.Count}", LayerKind.DepthwiseConvolution, expanded, expanded, block.KernelSize, block.Stride, expanded, act)
        {
            Timm = new("conv_dw", expands ? "bn2" : "bn1"),
        });
        int projection = layers.Count;
        layers.Add(new BlockLayer(LayerShape.ConvThenNorm, $"conv.{projection}", LayerKind.Convolution, expanded, block.OutChannels, 1, 1, 1, ActivationKind.Identity)
        {
            NormPath = $"conv.{projection + 1}",
            Timm = new(expands ? "conv_pwl" : "conv_pw", expands ? "bn3" : "bn2"),
        });
        return [.. layers];
    }

    /// <summary>MobileNetV1's depthwise-separable convolution: depthwise k×k, then pointwise 1×1, both activated.</summary>
    private static BlockLayer[] DepthwiseSeparable(BlockSpec block)
    {
        ActivationKind act = ActivationOf(block);
        return [
            new(LayerShape.ConvNormActivation, "depthwise", LayerKind.DepthwiseConvolution, block.InChannels, block.InChannels, block.KernelSize, block.Stride, block.InChannels, act),
            new(LayerShape.ConvNormActivation, "pointwise", LayerKind.Convolution, block.InChannels, block.OutChannels, 1, 1, 1, act),
        ];
    }
}
