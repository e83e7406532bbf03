using System.Globalization;
using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Profiles;

/// <summary>One kernel of a network, with the part of the network it belongs to.</summary>
/// <param name="Part">The part: <c>stem</c>, <c>stage N</c>, <c>head</c>, <c>classifier</c> or <c>runtime</c>.</param>
/// <param name="Shape">The kernel.</param>
internal readonly record struct KernelInstance(string Part, KernelShape Shape);

/// <summary>
/// The kernels a network's exported graph runs, in order, read from the spec and the block definitions as the graph
/// writer reads them: convolutions (ReLU and ReLU6 fused into them, as ONNX Runtime does), SiLU and hard-swish as
/// kernels of their own, squeeze-and-excitation, residual additions, pooling, the classifier and one run overhead.
/// </summary>
internal static class KernelWalk
{
    public static IEnumerable<KernelInstance> Of(NetworkSpec spec, int resolution)
    {
        yield return new KernelInstance("runtime", new KernelShape(KernelKind.RunOverhead, 1, 1, 1, 1, 1, ""));
        int size = resolution;
        foreach (KernelShape kernel in Convolution(spec.InputChannels, spec.Stem.OutChannels, size, spec.Stem.KernelSize, spec.Stem.Stride, 1, spec.Stem.Activation))
        {
            yield return new KernelInstance("stem", kernel);
        }

        size = OutputSize(size, spec.Stem.Stride);
        foreach (BlockSpec block in spec.Blocks)
        {
            string part = string.Create(CultureInfo.InvariantCulture, $"stage {block.StageIndex + 1}");
            foreach (BlockLayer layer in BlockLayers.Of(block))
            {
                IEnumerable<KernelShape> kernels = layer.Shape switch
                {
                    LayerShape.ConvNormActivation or LayerShape.ConvThenNorm => Convolution(layer.InChannels, layer.OutChannels, size, layer.KernelSize, layer.Stride, layer.Groups, layer.Activation),
                    LayerShape.SqueezeExcitation => [new KernelShape(KernelKind.SqueezeExcitation, layer.InChannels, layer.InChannels, size, 1, 1, layer.HardSigmoidGate ? SqueezeVariant.HardSigmoid : SqueezeVariant.Sigmoid)],
                    _ => throw new NotSupportedException($"No kernels for layer shape {layer.Shape}."),
                };
                foreach (KernelShape kernel in kernels)
                {
                    yield return new KernelInstance(part, kernel);
                }

                size = OutputSize(size, layer.Stride);
            }

            if (block.HasResidual)
            {
                yield return new KernelInstance(part, Elementwise(KernelKind.Add, block.OutChannels, size));
            }
        }

        if (spec.Head is { } head)
        {
            foreach (KernelShape kernel in Convolution(spec.Stages[^1].OutChannels, head.OutChannels, size, 1, 1, 1, head.Activation))
            {
                yield return new KernelInstance("head", kernel);
            }
        }

        yield return new KernelInstance("classifier", new KernelShape(KernelKind.GlobalPool, spec.FeatureChannels, spec.FeatureChannels, size, 1, 1, ""));
        if (spec.Classifier.IsHeadless)
        {
            yield break;
        }

        int features = spec.FeatureChannels;
        if (spec.Classifier.HiddenChannels is int hidden)
        {
            yield return new KernelInstance("classifier", new KernelShape(KernelKind.Linear, features, hidden, 1, 1, 1, ""));
            yield return new KernelInstance("classifier", Elementwise(KernelKind.Hardswish, hidden, 1));
            features = hidden;
        }

        yield return new KernelInstance("classifier", new KernelShape(KernelKind.Linear, features, spec.Classifier.NumClasses, 1, 1, 1, ""));
    }

    /// <summary>A convolution's kernels: the convolution itself, and its activation when ONNX Runtime does not fuse it.</summary>
    private static IEnumerable<KernelShape> Convolution(int inChannels, int outChannels, int size, int kernel, int stride, int groups, ActivationKind activation)
    {
        KernelKind kind = groups > 1 ? KernelKind.DepthwiseConvolution : kernel == 1 && stride == 1 ? KernelKind.PointwiseConvolution : KernelKind.DenseConvolution;
        yield return new KernelShape(kind, inChannels, outChannels, size, kernel, stride, "");
        int output = OutputSize(size, stride);
        KernelKind? separate = activation switch
        {
            ActivationKind.Identity or ActivationKind.ReLU or ActivationKind.ReLU6 or ActivationKind.LeakyReLU => null,
            ActivationKind.SiLU => KernelKind.SiLU,
            ActivationKind.Hardswish => KernelKind.Hardswish,
            _ => throw new NotSupportedException($"No kernel for activation {activation}."),
        };
        if (separate is KernelKind elementwise)
        {
            yield return Elementwise(elementwise, outChannels, output);
        }
    }

    private static KernelShape Elementwise(KernelKind kind, int channels, int size) =>
        new(kind, checked(channels * size * size), checked(channels * size * size), 1, 1, 1, "");

    private static int OutputSize(int size, int stride) => (size + stride - 1) / stride;
}
