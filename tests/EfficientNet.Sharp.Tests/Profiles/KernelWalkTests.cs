using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>The kernels a prediction sums against the cost analysis, which walks the same spec on its own.</summary>
public class KernelWalkTests
{
    private static IEnumerable<TestCaseData> Networks() =>
        ModelRegistry.All.Select(model => new TestCaseData(model.BuildSpec()).SetArgDisplayNames(model.Name))
            .Concat(RandomSpecs.Generate(12, seed: 24).Select((spec, i) => new TestCaseData(spec).SetArgDisplayNames($"random {i}")));

    [TestCaseSource(nameof(Networks))]
    public void Convolutions_HaveTheAnalysisMultiplyAccumulates(NetworkSpec spec)
    {
        NetworkAnalysis analysis = NetworkAnalyzer.Analyze(spec);
        KernelShape[] kernels = [.. KernelWalk.Of(spec, spec.Resolution).Select(kernel => kernel.Shape)];

        double Work(params KernelKind[] kinds) => kernels.Where(kernel => kinds.Contains(kernel.Kind)).Sum(kernel => kernel.Work);
        long Macs(LayerKind kind) => analysis.Layers.Where(layer => layer.Kind == kind).Sum(layer => layer.MultiplyAccumulates);

        Assert.That(Work(KernelKind.PointwiseConvolution, KernelKind.DenseConvolution), Is.EqualTo(Macs(LayerKind.Convolution)));
        Assert.That(Work(KernelKind.DepthwiseConvolution), Is.EqualTo(Macs(LayerKind.DepthwiseConvolution)));
        Assert.That(Work(KernelKind.Linear), Is.EqualTo(Macs(LayerKind.Linear)));
        Assert.That(kernels.Count(kernel => kernel.Kind == KernelKind.SqueezeExcitation), Is.EqualTo(analysis.Layers.Count(layer => layer.Kind == LayerKind.SqueezeExcitation) / 2));
        Assert.That(kernels.Count(kernel => kernel.Kind == KernelKind.Add), Is.EqualTo(spec.Blocks.Count(block => block.HasResidual)));
        Assert.That(kernels.Count(kernel => kernel.Kind == KernelKind.RunOverhead), Is.EqualTo(1));
    }

    [Test]
    public void SqueezeExcitationGates_FollowTheFamily()
    {
        static string[] Gates(string model) =>
            [.. KernelWalk.Of(ModelRegistry.Get(model).BuildSpec(), 224).Where(kernel => kernel.Shape.Kind == KernelKind.SqueezeExcitation).Select(kernel => kernel.Shape.Variant).Distinct()];

        Assert.That(Gates("efficientnet_b0"), Is.EqualTo(new[] { SqueezeVariant.Sigmoid }));
        Assert.That(Gates("mobilenet_v3_large"), Is.EqualTo(new[] { SqueezeVariant.HardSigmoid }));
        Assert.That(Gates("efficientnet_lite0"), Is.Empty);
    }
}
