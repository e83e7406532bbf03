using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>
/// A blocked convolution computes whole blocks of channels, so a float profile that knows the block interpolates
/// channel counts by their padded value (<see cref="BlockedPadding"/>). Which counts are padded is checked against the
/// weights ONNX Runtime itself rewrites a network's convolutions with; the block against MLAS's choice for the CPU.
/// </summary>
public class BlockedPaddingTests
{
    private const int Multiple = 4;

    private const int Block = 16;

    private static readonly BlockedPadding Padding = new(Multiple, Block);

    private static readonly ChannelAlignment FloatAlignment = new(Multiple, IntegerConvolutions: false);

    /// <summary>
    /// MLAS, ONNX Runtime's kernel library, blocks channels by 16 on an x64 CPU with AVX-512F and by 8 on any other x64
    /// one (its platform.cpp); the profiler reads the block from the weights of a rewritten convolution, not from the CPU.
    /// </summary>
    [Test]
    public void TheProbedBlock_IsMlassChoiceForThisCpu()
    {
        Assume.That(RuntimeInformation.ProcessArchitecture, Is.EqualTo(Architecture.X64), "MLAS's blocked layout is an x64 one");
        Assert.That(DeviceProfiler.BlockedLayoutBlock(), Is.EqualTo(Avx512F.IsSupported ? 16 : 8));
    }

    // MobileNetV1 truncates channels (0.83: 26, 53, 106 …, some off the multiple, so unblocked); MobileNetV2 rounds
    // them to 8 (0.55: 8, 16, 24, 40, 56, 88 …, many off a block of 16). Networks with squeeze-excitation are left out:
    // its 1 × 1 convolutions are convolutions in the graph but not in the walk.
    [TestCase("mobilenet_v1", 0.83)]
    [TestCase("mobilenet_v2", 0.55)]
    [TestCase("mobilenet_v2", 1.22)]
    public void ThePaddedCounts_AreThoseOnnxRuntimeRewritesTheWeightsWith(string model, double width)
    {
        var profiler = new DeviceProfiler(threads: 1);
        var padding = new BlockedPadding(profiler.BlockedLayoutChannelMultiple(), DeviceProfiler.BlockedLayoutBlock());
        Assume.That(padding.Multiple > 0 && padding.Block > 1, Is.True, "a runtime without a blocked layout");
        NetworkSpec spec = ModelRegistry.Get(model).BuildSpec(new ModelOverrides { Width = width, Resolution = 96 });
        KernelShape[] convolutions = [.. KernelWalk.Of(spec, spec.Resolution).Select(kernel => kernel.Shape).Where(shape => shape.IsConvolution)];
        GraphProto graph = DeviceProfiler.OptimizedGraph(OnnxModel.Build(spec, new RandomWeights(seed: 7), OnnxExportOptions.Default with { DynamicBatch = false }, null).Model);
        NodeProto[] nodes = [.. graph.Node.Where(node => node.OpType is "Conv" or "FusedConv")];
        Assert.That(nodes, Has.Length.EqualTo(convolutions.Length), "convolutions in the walk and in the optimised graph");

        int blocked = 0;
        for (int i = 0; i < nodes.Length; i++)
        {
            if (nodes[i].Domain != DeviceProfiler.BlockedLayoutDomain)
            {
                continue;
            }

            blocked++;
            Assert.That(DeviceProfiler.RewrittenWeights(graph, nodes[i])[..2], Is.EqualTo(PaddedWeights(padding, convolutions[i])), $"convolution {i}: {convolutions[i]}");
        }

        Assert.That(blocked, Is.GreaterThan(convolutions.Length / 2), "blocked convolutions checked");
    }

    // Single kernels the walks above do not reach: dense convolutions past the stem (EfficientNetV2's fused blocks), a
    // strided 5 × 5 depthwise one, pointwise ones reading fewer channels than a block; and the examples docs/device-fit.md
    // quotes (64 → 65 with weights of 80 × 64, 68 → 68 with 80 × 80, 8 → 48 with 48 × 8, depthwise 68 with 80 filters).
    [TestCase(KernelKind.PointwiseConvolution, 64, 65, 14, 1, 1)]
    [TestCase(KernelKind.PointwiseConvolution, 68, 68, 14, 1, 1)]
    [TestCase(KernelKind.DepthwiseConvolution, 68, 68, 14, 3, 1)]
    [TestCase(KernelKind.DenseConvolution, 24, 96, 28, 3, 1)]
    [TestCase(KernelKind.DenseConvolution, 20, 40, 28, 3, 2)]
    [TestCase(KernelKind.DenseConvolution, 48, 72, 14, 3, 1)]
    [TestCase(KernelKind.DepthwiseConvolution, 20, 20, 28, 5, 2)]
    [TestCase(KernelKind.PointwiseConvolution, 16, 20, 28, 1, 1)]
    [TestCase(KernelKind.PointwiseConvolution, 8, 48, 28, 1, 1)]
    [TestCase(KernelKind.PointwiseConvolution, 12, 24, 28, 1, 1)]
    public void ThePaddedCounts_OfAKernel_AreThoseOnnxRuntimeRewritesItsWeightsWith(KernelKind kind, int inChannels, int outChannels, int size, int kernelSize, int stride)
    {
        var profiler = new DeviceProfiler(threads: 1);
        var padding = new BlockedPadding(profiler.BlockedLayoutChannelMultiple(), DeviceProfiler.BlockedLayoutBlock());
        Assume.That(padding.Multiple > 0 && padding.Block > 1, Is.True, "a runtime without a blocked layout");
        var shape = new KernelShape(kind, inChannels, outChannels, size, kernelSize, stride, "");
        GraphProto graph = DeviceProfiler.OptimizedGraph(KernelGraph.Build(shape));
        NodeProto convolution = graph.Node.Single(node => node.Domain == DeviceProfiler.BlockedLayoutDomain && node.OpType == "Conv");

        Assert.That(DeviceProfiler.RewrittenWeights(graph, convolution)[..2], Is.EqualTo(PaddedWeights(padding, shape)));
    }

    /// <summary>The first two dimensions of the weights a blocked convolution runs with, by the padding's rule.</summary>
    private static long[] PaddedWeights(BlockedPadding padding, KernelShape shape) => shape.Kind == KernelKind.DepthwiseConvolution
        ? [padding.Padded(shape, 0, shape.InChannels), 1]
        : [padding.Padded(shape, 1, shape.OutChannels), padding.Padded(shape, 0, shape.InChannels)];

    // Kernel times that follow the padded channel counts exactly (time ∝ padded in × padded out × pixels, as the blocked
    // layout computes): interpolated by padded counts the grid gives them back; by the counts themselves it reads a
    // count past a block as less work than the block it runs as.
    [TestCase(KernelKind.PointwiseConvolution, 64, 72, 28, 1, 64 * 80)]
    [TestCase(KernelKind.PointwiseConvolution, 68, 68, 28, 1, 80 * 80)]
    [TestCase(KernelKind.PointwiseConvolution, 88, 40, 14, 1, 96 * 48)]
    [TestCase(KernelKind.DepthwiseConvolution, 68, 68, 28, 3, 80)]
    [TestCase(KernelKind.DenseConvolution, 3, 20, 56, 3, 3 * 32)]
    [TestCase(KernelKind.PointwiseConvolution, 12, 20, 28, 1, 12 * 32)]
    [TestCase(KernelKind.DepthwiseConvolution, 20, 20, 28, 3, 32)]
    public void PaddedCounts_AreInterpolatedAsTheBlocksTheyRunAs(KernelKind kind, int inChannels, int outChannels, int size, int kernelSize, int paddedChannels)
    {
        var shape = new KernelShape(kind, inChannels, outChannels, size, kernelSize, 1, "");
        double expected = PaddedLaw(shape);
        Assert.That(PaddedChannelProduct(shape), Is.EqualTo(paddedChannels), "the law's padded counts");

        Assert.That(Interpolated(shape, Padding), Is.EqualTo(expected).Within(1e-9 * expected));
        Assert.That(Interpolated(shape, padding: null), Is.LessThan(0.95 * expected), "by the counts themselves");
    }

    [Test]
    public void AConvolutionOffTheMultiple_RunsUnblocked_AndIsInterpolatedByItsCounts()
    {
        var unblocked = new KernelShape(KernelKind.PointwiseConvolution, 66, 64, 28, 1, 1, "");
        Assert.That(unblocked.RunsBlocked(Multiple, Block), Is.False);
        Assert.That(Padding.Padded(unblocked, 0, 66), Is.EqualTo(66));
        Assert.That(Padding.Padded(unblocked, 1, 72), Is.EqualTo(72));
        Assert.That(Interpolated(unblocked, Padding), Is.EqualTo(Interpolated(unblocked, padding: null)));
    }

    [Test]
    public void OnlyFloatOneThreadProfilesThatProbedTheBlock_Pad()
    {
        // MobileNetV2 at 0.55 reads counts past a block of 16 (88, 40 …); its prediction moves only where the profile
        // is float, of one thread, and knows the blocked layout's multiple and its block.
        NetworkSpec spec = ModelRegistry.Get("mobilenet_v2").BuildSpec(new ModelOverrides { Width = 0.55, Resolution = 160 });
        DeviceProfile unprobed = SyntheticProfiles.PowerLaw(threads: 1) with { BlockedLayoutChannelMultiple = Multiple };
        double byCounts = Predicted(unprobed);

        Assert.That(Predicted(unprobed with { BlockedLayoutBlock = Block }), Is.GreaterThan(1.01 * byCounts));
        Assert.That(Predicted(unprobed with { BlockedLayoutBlock = 0 }), Is.EqualTo(byCounts));
        Assert.That(Predicted(unprobed with { BlockedLayoutChannelMultiple = null, BlockedLayoutBlock = Block }), Is.EqualTo(byCounts));
        DeviceProfile twoThreads = SyntheticProfiles.PowerLaw(threads: 2) with { BlockedLayoutChannelMultiple = Multiple };
        Assert.That(Predicted(twoThreads with { BlockedLayoutBlock = Block }), Is.EqualTo(Predicted(twoThreads)), "two threads");
        DeviceProfile int8 = unprobed with { Device = unprobed.Device with { Precision = DeviceFacts.Int8Precision } };
        Assert.That(Predicted(int8 with { BlockedLayoutBlock = Block }), Is.EqualTo(Predicted(int8)), "int8");

        double Predicted(DeviceProfile profile) => new LatencyPredictor(profile).Predict(spec).Milliseconds;
    }

    /// <summary>The law: padded input × padded output channels (one channel count for a depthwise kernel) × output pixels.</summary>
    private static double PaddedLaw(KernelShape shape) => 1e-6 * PaddedChannelProduct(shape) * shape.OutputSize * shape.OutputSize;

    /// <summary>The channels the blocked layout computes, written out as ONNX Runtime pads them (see the weights test above).</summary>
    private static int PaddedChannelProduct(KernelShape shape)
    {
        static int Up(int channels) => (channels + Block - 1) / Block * Block;
        return shape.Kind switch
        {
            KernelKind.DepthwiseConvolution => Up(shape.InChannels),
            KernelKind.PointwiseConvolution or KernelKind.DenseConvolution => (shape.InChannels < Block ? shape.InChannels : Up(shape.InChannels)) * Up(shape.OutChannels),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape.Kind, "not a convolution"),
        };
    }

    /// <summary>The kernel's time from its grid corners, each timed by <see cref="PaddedLaw"/>, as the predictor interpolates them.</summary>
    private static double Interpolated(KernelShape shape, BlockedPadding? padding)
    {
        KernelShape variant = FloatAlignment.VariantOf(shape);
        IReadOnlyList<(KernelShape Corner, double Weight)> corners = KernelGrid.Corners(variant, FloatAlignment, padding)
            ?? throw new InvalidOperationException($"{shape} is outside the grid.");
        return Math.Exp(corners.Sum(corner => corner.Weight * Math.Log(PaddedLaw(corner.Corner))));
    }
}
