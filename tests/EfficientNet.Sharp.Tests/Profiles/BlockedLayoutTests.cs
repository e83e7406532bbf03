using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Onnx;
using EfficientNet.Sharp.OnnxRuntime;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>
/// Which convolutions the predictor takes as running in ONNX Runtime's blocked layout (<see cref="KernelShape.RunsBlocked"/>,
/// with the multiple the profiler probes) against what ONNX Runtime itself does with a whole exported network on this
/// machine: its optimised graph runs each convolution either as a blocked-layout operator or not.
/// </summary>
public class BlockedLayoutTests
{
    // MobileNetV1 truncates scaled channels (0.83: 26, 53, 106, 212, 424, 849; 0.6: 19, 38, 76 …; 0.45: 14, 28, 57 …),
    // so its convolutions fall on both sides of the multiple, and below the block (14); MobileNetV2 rounds to multiples
    // of 8.
    [TestCase("mobilenet_v1", 0.83)]
    [TestCase("mobilenet_v1", 0.45)]
    [TestCase("mobilenet_v1", 0.6)]
    [TestCase("mobilenet_v1", 1.0)]
    [TestCase("mobilenet_v2", 0.5)]
    public void TheRule_MatchesOnnxRuntime_ConvolutionByConvolution(string model, double width)
    {
        int multiple = new DeviceProfiler(threads: 1).BlockedLayoutChannelMultiple();
        int block = DeviceProfiler.BlockedLayoutBlock();
        NetworkSpec spec = ModelRegistry.Get(model).BuildSpec(new ModelOverrides { Width = width, Resolution = 96 });
        bool[] predicted = [.. KernelWalk.Of(spec, spec.Resolution).Select(kernel => kernel.Shape)
            .Where(shape => shape.Kind is KernelKind.PointwiseConvolution or KernelKind.DepthwiseConvolution or KernelKind.DenseConvolution)
            .Select(shape => shape.RunsBlocked(multiple, block))];

        bool[] actual = [.. DeviceProfiler.OptimizedGraph(OnnxModel.Build(spec, new RandomWeights(seed: 7), OnnxExportOptions.Default with { DynamicBatch = false }, null).Model)
            .Node.Where(node => node.OpType is "Conv" or "FusedConv")
            .Select(node => node.Domain == DeviceProfiler.BlockedLayoutDomain)];

        Assert.That(multiple == 0 || int.IsPow2(multiple), Is.True, $"probed multiple {multiple}");
        Assert.That(actual, Is.EqualTo(predicted), $"blocked convolutions in order, multiple {multiple}");
    }

    [Test]
    public void TheNetworks_CoverBothSides()
    {
        int multiple = new DeviceProfiler(threads: 1).BlockedLayoutChannelMultiple();
        Assume.That(multiple, Is.GreaterThan(1), "a runtime without a blocked layout, or one that blocks every count");
        NetworkSpec spec = ModelRegistry.Get("mobilenet_v1").BuildSpec(new ModelOverrides { Width = 0.83, Resolution = 96 });
        KernelShape[] convolutions = [.. KernelWalk.Of(spec, 96).Select(kernel => kernel.Shape).Where(shape => shape.Kind != KernelKind.GlobalPool && shape.Kind != KernelKind.Linear)];

        Assert.That(convolutions.Count(shape => shape.RunsBlocked(multiple, DeviceProfiler.BlockedLayoutBlock())), Is.InRange(1, convolutions.Length - 1));
    }

    [Test]
    public void AProfileWithoutTheMultiple_TakesEveryConvolutionAsBlocked_AndZeroNone()
    {
        var unaligned = new KernelShape(KernelKind.PointwiseConvolution, 26, 53, 14, 1, 1, "");
        Assert.That(unaligned.RunsBlocked(null, null), Is.True);
        Assert.That(unaligned.RunsBlocked(4, 16), Is.False);
        Assert.That((unaligned with { InChannels = 24 }).RunsBlocked(4, 16), Is.True, "output channels are padded up");
        Assert.That((unaligned with { InChannels = 3 }).RunsBlocked(4, 16), Is.True, "fewer input channels than the block are read as they are");
        Assert.That((unaligned with { InChannels = 14 }).RunsBlocked(4, 16), Is.True, "so are 14");
        Assert.That((unaligned with { InChannels = 14 }).RunsBlocked(4, null), Is.False, "without the block, the multiple stands for it");
        Assert.That(new KernelShape(KernelKind.DepthwiseConvolution, 14, 14, 14, 3, 1, "").RunsBlocked(4, 16), Is.False, "a depthwise one is held to the multiple");
        Assert.That((unaligned with { InChannels = 24 }).RunsBlocked(0, 0), Is.False);
        Assert.That(new KernelShape(KernelKind.SiLU, 4096, 4096, 1, 1, 1, "").RunsBlocked(8, 16), Is.False);
    }
}
