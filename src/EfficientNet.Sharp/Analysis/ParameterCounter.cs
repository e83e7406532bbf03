using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Analysis;

/// <summary>
/// Counts a network's learnable parameters from its spec alone, without allocating a tensor. It counts
/// what <c>Module.parameters()</c> holds: convolution and linear weights and biases and BatchNorm's γ
/// and β; BatchNorm's running statistics are buffers and are not counted.
/// </summary>
public static class ParameterCounter
{
    /// <summary>Counts the parameters of every part of the network.</summary>
    /// <param name="spec">A valid spec.</param>
    /// <returns>Stem, per-stage, head and classifier counts, and their total.</returns>
    public static ParameterBreakdown Count(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        long stem = ConvNorm(spec.InputChannels, spec.Stem.OutChannels, spec.Stem.KernelSize, groups: 1);
        long[] stages = new long[spec.Stages.Count];
        foreach (BlockSpec block in spec.Blocks)
        {
            stages[block.StageIndex] += Block(block);
        }

        long head = spec.Head is { } h ? ConvNorm(spec.Stages[^1].OutChannels, h.OutChannels, 1, groups: 1) : 0;
        long classifier = ((long)spec.FeatureChannels * spec.Classifier.NumClasses) + spec.Classifier.NumClasses;
        return new ParameterBreakdown(stem, stages, head, classifier);
    }

    /// <summary>Counts the parameters of one block.</summary>
    /// <param name="block">The block.</param>
    /// <returns>Its learnable parameter count.</returns>
    public static long Block(BlockSpec block)
    {
        ArgumentNullException.ThrowIfNull(block);
        int input = block.InChannels;
        int hidden = block.ExpandedChannels;
        long count = block.HasExpansion ? ConvNorm(input, hidden, 1, groups: 1) : 0;
        count += ConvNorm(hidden, hidden, block.KernelSize, groups: hidden);
        if (block.SqueezeChannels > 0)
        {
            // Two 1×1 convolutions with bias: hidden → squeeze → hidden.
            count += (2L * hidden * block.SqueezeChannels) + block.SqueezeChannels + hidden;
        }

        // Projection (depthwise-separable: the pointwise convolution), always followed by BatchNorm.
        count += ConvNorm(hidden, block.OutChannels, 1, groups: 1);
        return count;
    }

    /// <summary>A bias-free convolution and its BatchNorm (γ and β per output channel).</summary>
    private static long ConvNorm(int input, int output, int kernel, int groups) =>
        ((long)input / groups * output * kernel * kernel) + (2L * output);
}

/// <summary>Learnable parameters of a network, part by part.</summary>
/// <param name="Stem">The stem convolution and its BatchNorm.</param>
/// <param name="Stages">Each stage's blocks, in order.</param>
/// <param name="Head">The head convolution and its BatchNorm (0 when the network has none).</param>
/// <param name="Classifier">The final linear layer, weights and bias.</param>
public sealed record ParameterBreakdown(long Stem, IReadOnlyList<long> Stages, long Head, long Classifier)
{
    /// <summary>All learnable parameters.</summary>
    public long Total => Stem + Stages.Sum() + Head + Classifier;
}
