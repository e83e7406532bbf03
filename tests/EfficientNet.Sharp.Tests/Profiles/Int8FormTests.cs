using EfficientNet.Sharp.Blocks;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.Onnx.Protobuf;
using EfficientNet.Sharp.Onnx.Quantization;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>
/// Which convolutions of an int8 file the walk takes as integer kernels and which as float islands
/// (<see cref="KernelGrid.FloatIsland"/>), against what ONNX Runtime does with the int8 file the export writes for a
/// timing: its optimised graph runs each convolution either as <c>QLinearConv</c> or in float. And the kernels a profile
/// times for each form run in that form alone too.
/// </summary>
public class Int8FormTests
{
    // SiLU throughout (B0, V2-S with its fused blocks), hard-swish and ReLU mixed (V3), ReLU6 (Lite, V2), ReLU (V1).
    [TestCase("efficientnet_b0")]
    [TestCase("efficientnet_v2_s")]
    [TestCase("mobilenet_v3_small")]
    [TestCase("mobilenet_v3_large")]
    [TestCase("efficientnet_lite0")]
    [TestCase("mobilenet_v2")]
    [TestCase("mobilenet_v1")]
    public void TheWalk_MatchesOnnxRuntime_ConvolutionByConvolution(string model)
    {
        NetworkSpec spec = ModelRegistry.Get(model).BuildSpec(new ModelOverrides { Resolution = 96, Depth = ModelRegistry.Get(model).ScalesDepth ? 0.5 : null });
        bool[] predicted = [.. KernelWalk.Of(spec, spec.Resolution, int8: true).Select(kernel => kernel.Shape)
            .Where(shape => shape.IsConvolution)
            .Select(shape => shape.Variant != KernelGrid.FloatIsland)];

        // Squeeze-and-excitation's two small convolutions are part of its own kernel, float in both files: the
        // runtime's nodes keep the names of the layers they come from.
        string[] squeezePaths = [.. spec.Blocks.SelectMany(block => BlockLayers.Of(block).Where(layer => layer.Shape == LayerShape.SqueezeExcitation).Select(layer => $"{ModulePaths.Block(spec, block)}.{layer.Path}."))];
        bool[] actual = [.. DeviceProfiler.OptimizedGraph(OnnxModel.Build(spec, new RandomWeights(seed: 7), OnnxExportOptions.Default with { DynamicBatch = false }, CalibratedPlan.ForTiming(spec)).Model)
            .Node.Where(node => node.OpType is "Conv" or "FusedConv" or "QLinearConv" && !squeezePaths.Any(path => node.Name.StartsWith(path, StringComparison.Ordinal)))
            .Select(node => node.OpType == "QLinearConv")];

        Assert.That(actual, Is.EqualTo(predicted), "integer convolutions in order");
    }

    [Test]
    public void TheFamilies_HaveBothForms_WhereTheirActivationsMix()
    {
        KernelShape[] v3 = [.. KernelWalk.Of(ModelRegistry.Get("mobilenet_v3_large").BuildSpec(), 224, int8: true).Select(kernel => kernel.Shape).Where(shape => shape.IsConvolution)];
        KernelShape[] v2 = [.. KernelWalk.Of(ModelRegistry.Get("mobilenet_v2").BuildSpec(), 224, int8: true).Select(kernel => kernel.Shape).Where(shape => shape.IsConvolution)];
        KernelShape[] asFloat = [.. KernelWalk.Of(ModelRegistry.Get("mobilenet_v3_large").BuildSpec(), 224).Select(kernel => kernel.Shape).Where(shape => shape.IsConvolution)];

        Assert.That(v3.Count(shape => shape.Variant == KernelGrid.FloatIsland), Is.InRange(1, v3.Length - 1));
        Assert.That(v2, Has.None.Matches<KernelShape>(shape => shape.Variant == KernelGrid.FloatIsland), "ReLU6 throughout: integer throughout");
        Assert.That(asFloat, Has.None.Matches<KernelShape>(shape => shape.Variant == KernelGrid.FloatIsland), "a float file has no islands");
    }

    /// <summary>A float island's kernel runs alone as it does in the network: a float convolution in the plain layout, not <c>QLinearConv</c>.</summary>
    [TestCase(KernelKind.PointwiseConvolution, 64, 128, 1)]
    [TestCase(KernelKind.DepthwiseConvolution, 64, 64, 3)]
    [TestCase(KernelKind.DenseConvolution, 3, 32, 3)]
    public void AFloatIslandKernel_RunsAsAFloatConvolution_InThePlainLayout(KernelKind kind, int inChannels, int outChannels, int kernel)
    {
        var island = new KernelShape(kind, inChannels, outChannels, 28, kernel, 1, KernelGrid.FloatIsland);
        NodeProto[] nodes = [.. DeviceProfiler.OptimizedGraph(KernelGraph.Build(island, int8: true)).Node];

        Assert.That(nodes.Select(node => node.OpType), Does.Not.Contain("QLinearConv").And.Contain("Conv").Or.Contain("FusedConv"), island.ToString());
        Assert.That(nodes.Where(node => node.OpType is "Conv" or "FusedConv").Select(node => node.Domain), Has.None.EqualTo(DeviceProfiler.BlockedLayoutDomain), "the plain layout, as in an int8 network");
    }

    [Test]
    public void TheInt8Design_TimesFloatIslands_AndTheFloatDesignDoesNot()
    {
        IReadOnlyList<KernelShape> int8 = KernelSuite.Design(1, int8: true);
        IReadOnlyList<KernelShape> float32 = KernelSuite.Design(1);

        Assert.That(int8.Where(shape => shape.Variant == KernelGrid.FloatIsland).Select(shape => shape.Kind).Distinct(),
            Is.EquivalentTo(new[] { KernelKind.PointwiseConvolution, KernelKind.DepthwiseConvolution, KernelKind.DenseConvolution }));
        Assert.That(int8.Where(shape => shape.IsConvolution && shape.Variant != KernelGrid.FloatIsland), Is.Not.Empty, "MobileNetV1/V2 and Lite convolutions stay integer");
        Assert.That(float32, Has.None.Matches<KernelShape>(shape => shape.Variant == KernelGrid.FloatIsland));
    }
}
