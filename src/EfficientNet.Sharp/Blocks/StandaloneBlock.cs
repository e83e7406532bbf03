using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Blocks;

/// <summary>The spec of a block built on its own (outside a network): the first block of a one-block stage.</summary>
internal static class StandaloneBlock
{
    public static BlockSpec Of(BlockKind kind, int inChannels, int outChannels, int kernelSize, int stride, double expandRatio, double squeezeRatio, ActivationKind activation, double stochasticDepthProbability)
    {
        if (kernelSize < 1 || kernelSize % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "The kernel size must be a positive odd number.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        Guard.Stride(stride, nameof(stride));
        Guard.ExpandRatio(expandRatio, nameof(expandRatio));
        Guard.UnitInterval(squeezeRatio, nameof(squeezeRatio));
        Guard.UnitInterval(stochasticDepthProbability, nameof(stochasticDepthProbability));

        return new BlockSpec(kind, 0, 0, 0, inChannels, outChannels, kernelSize, stride, expandRatio, squeezeRatio, activation, stochasticDepthProbability);
    }
}
