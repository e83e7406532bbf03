using EfficientNet.Sharp.Specs;
using static TorchSharp.torch;

namespace EfficientNet.Sharp.Blocks;

/// <summary>Turns a <see cref="BlockSpec"/> into the matching block module.</summary>
internal static class BlockFactory
{
    /// <summary>Creates the block a spec describes.</summary>
    /// <param name="block">The block to create.</param>
    /// <param name="batchNorm">BatchNorm settings of the network.</param>
    /// <param name="padding">Padding mode of the network's strided convolutions.</param>
    /// <returns>A <see cref="DepthwiseSeparableConv"/>, <see cref="InvertedResidual"/>, <see cref="MBConv"/>, <see cref="FusedMBConv"/> or <see cref="MobileNetV3Block"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The block kind is unknown or a value is out of range.</exception>
    public static nn.Module<Tensor, Tensor> Create(BlockSpec block, BatchNormSpec batchNorm, PaddingMode padding = PaddingMode.Symmetric)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(batchNorm);
        return block.Kind switch
        {
            BlockKind.DepthwiseSeparable => new DepthwiseSeparableConv(
                block.InChannels, block.OutChannels, block.Stride, block.KernelSize, block.Activation, batchNorm, padding),
            BlockKind.InvertedResidual => new InvertedResidual(
                block.InChannels, block.OutChannels, block.Stride, block.ExpandRatio, block.KernelSize, block.Activation, batchNorm, padding),
            BlockKind.MBConv => new MBConv(
                block.InChannels,
                block.OutChannels,
                block.KernelSize,
                block.Stride,
                block.ExpandRatio,
                block.SqueezeRatio,
                block.StochasticDepthProbability,
                block.Activation,
                batchNorm,
                padding),
            BlockKind.FusedMBConv => new FusedMBConv(
                block.InChannels,
                block.OutChannels,
                block.KernelSize,
                block.Stride,
                block.ExpandRatio,
                block.StochasticDepthProbability,
                block.Activation,
                batchNorm,
                padding),
            BlockKind.MobileNetV3 => new MobileNetV3Block(
                block.InChannels,
                block.ExpandedChannels,
                block.OutChannels,
                block.KernelSize,
                block.Stride,
                block.SqueezeChannels,
                block.Activation,
                batchNorm,
                padding),
            _ => throw new ArgumentOutOfRangeException(nameof(block), block.Kind, "Unknown block kind."),
        };
    }
}
