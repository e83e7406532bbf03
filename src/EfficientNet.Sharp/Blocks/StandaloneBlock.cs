using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Blocks;

/// <summary>The spec of a block built on its own (outside a network): the first block of a one-block stage.</summary>
internal static class StandaloneBlock
{
    /// <summary>The spec, checked as <see cref="BlockModule"/> checks one, with each error naming the named block's argument (<c>stride</c>, not <c>block.Stride</c>).</summary>
    public static BlockSpec Of(BlockKind kind, int inChannels, int outChannels, int kernelSize, int stride, double expandRatio, double squeezeRatio, ActivationKind activation, double stochasticDepthProbability) =>
        BlockModule.Checked(
            new BlockSpec(kind, 0, 0, 0, inChannels, outChannels, kernelSize, stride, expandRatio, squeezeRatio, activation, stochasticDepthProbability),
            field => char.ToLowerInvariant(field[0]) + field[1..]);
}
