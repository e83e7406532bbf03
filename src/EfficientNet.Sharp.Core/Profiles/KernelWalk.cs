using System.Globalization;
using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Onnx.Quantization;
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
/// <remarks>
/// Walked for an int8 file, a convolution runs on integer kernels (<c>QLinearConv</c>) only where the int8 export
/// quantizes both its input and its output; the others are <see cref="KernelGrid.FloatIsland"/>s. Which points the
/// export quantizes is asked of the plan device timings use (<see cref="CalibratedPlan.ForTiming"/>, the default float
/// islands), at the points the graph writer names (<see cref="QuantizationPoints"/>).
/// </remarks>
internal static class KernelWalk
{
    /// <summary>The network's kernels in graph order.</summary>
    /// <param name="spec">The network.</param>
    /// <param name="resolution">The input size in pixels.</param>
    /// <param name="int8">Whether the network runs as an int8 file (convolutions it leaves float become float islands).</param>
    public static IEnumerable<KernelInstance> Of(NetworkSpec spec, int resolution, bool int8 = false)
    {
        Func<string, bool> quantized = int8 ? Quantized(spec) : _ => false;
        yield return new KernelInstance("runtime", KernelShape.RunOverhead);
        int size = resolution;
        bool inputQuantized = quantized(QuantizationPoints.Input);
        string point = QuantizationPoints.ConvNormActivation(ModulePaths.Stem);
        foreach (KernelShape kernel in Convolution(spec.InputChannels, spec.Stem.OutChannels, size, spec.Stem.KernelSize, spec.Stem.Stride, 1, spec.Stem.Activation, Form(int8, inputQuantized, quantized(point))))
        {
            yield return new KernelInstance("stem", kernel);
        }

        inputQuantized = quantized(point);

        size = OutputSize(size, spec.Stem.Stride);
        foreach (BlockSpec block in spec.Blocks)
        {
            string part = string.Create(CultureInfo.InvariantCulture, $"stage {block.StageIndex + 1}");
            string at = ModulePaths.Block(spec, block);
            foreach (BlockLayer layer in BlockLayers.Of(block))
            {
                point = QuantizationPoints.BlockLayer(at, layer);
                IEnumerable<KernelShape> kernels = layer.Shape switch
                {
                    LayerShape.ConvNormActivation or LayerShape.ConvThenNorm => Convolution(layer.InChannels, layer.OutChannels, size, layer.KernelSize, layer.Stride, layer.Groups, layer.Activation, Form(int8, inputQuantized, quantized(point))),
                    LayerShape.SqueezeExcitation => [new KernelShape(KernelKind.SqueezeExcitation, layer.InChannels, layer.InChannels, size, 1, 1, layer.HardSigmoidGate ? SqueezeVariant.HardSigmoid : SqueezeVariant.Sigmoid)],
                    _ => throw new NotSupportedException($"No kernels for layer shape {layer.Shape}."),
                };
                foreach (KernelShape kernel in kernels)
                {
                    yield return new KernelInstance(part, kernel);
                }

                size = OutputSize(size, layer.Stride);
                inputQuantized = quantized(point);
            }

            if (block.HasResidual)
            {
                yield return new KernelInstance(part, Elementwise(KernelKind.Add, block.OutChannels, size));
                inputQuantized = quantized(QuantizationPoints.Residual(at));
            }
        }

        if (spec.Head is { } head)
        {
            point = QuantizationPoints.ConvNormActivation(ModulePaths.Head(spec));
            foreach (KernelShape kernel in Convolution(spec.Stages[^1].OutChannels, head.OutChannels, size, 1, 1, 1, head.Activation, Form(int8, inputQuantized, quantized(point))))
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

    /// <summary>Whether the int8 plan for timings quantizes each point of the network.</summary>
    private static Func<string, bool> Quantized(NetworkSpec spec)
    {
        CalibratedPlan plan = CalibratedPlan.ForTiming(spec);
        return point => plan.Activation(point) is not null;
    }

    /// <summary>A convolution's variant: a float island in an int8 file unless both its input and its output are quantized.</summary>
    private static string Form(bool int8, bool inputQuantized, bool outputQuantized) =>
        int8 && !(inputQuantized && outputQuantized) ? KernelGrid.FloatIsland : "";

    /// <summary>A convolution's kernels: the convolution itself, and its activation when ONNX Runtime does not fuse it.</summary>
    private static IEnumerable<KernelShape> Convolution(int inChannels, int outChannels, int size, int kernel, int stride, int groups, ActivationKind activation, string variant)
    {
        KernelKind kind = groups > 1 ? KernelKind.DepthwiseConvolution : kernel == 1 && stride == 1 ? KernelKind.PointwiseConvolution : KernelKind.DenseConvolution;
        yield return new KernelShape(kind, inChannels, outChannels, size, kernel, stride, variant);
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
