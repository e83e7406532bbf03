using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>
/// Kernels smaller than any the profile measured (networks below 96 px or 0.35 width): extrapolated from the nearest
/// measured kernel, a pointwise convolution between its work and its traffic, every kernel no faster than its kind's
/// floor (docs/device-fit.md, "Outside the grid"). The profiles here have no calibration networks, so a prediction's
/// kernels are their times alone.
/// </summary>
public class BelowTheGridTests
{
    private static NetworkSpec Spec(string model, double width, int resolution) =>
        ModelRegistry.Get(model).BuildSpec(new ModelOverrides { Width = width, Resolution = resolution });

    /// <summary>The least time the profile has for a kernel of this kind, and no more than its least for a convolution.</summary>
    private static double Floor(DeviceProfile profile, KernelKind kind) => Math.Min(
        profile.Kernels.Where(kernel => kernel.Shape.Kind == kind).Min(kernel => kernel.Milliseconds),
        profile.Kernels.Where(kernel => kernel.Shape.IsConvolution).Min(kernel => kernel.Milliseconds));

    [TestCase("mobilenet_v3_small", 0.1, 32)]
    [TestCase("mobilenet_v2", 0.2, 40)]
    [TestCase("efficientnet_b0", 0.25, 48)]
    public void KernelsFarBelowTheGrid_TakeNoLessThanTheFloorOfTheirKind(string model, double width, int resolution)
    {
        DeviceProfile profile = SyntheticProfiles.PowerLaw();
        KernelPrediction[] extrapolated = [.. new LatencyPredictor(profile).Predict(Spec(model, width, resolution)).Kernels.Where(kernel => kernel.Extrapolated)];

        Assert.That(extrapolated, Is.Not.Empty);
        foreach (KernelPrediction kernel in extrapolated)
        {
            Assert.That(kernel.Milliseconds, Is.GreaterThanOrEqualTo(Floor(profile, kernel.Shape.Kind) * (1 - 1e-12)), kernel.Shape.ToString());
        }

        // The floor binds: on the profile's own law some of these kernels take less than half of it.
        Assert.That(extrapolated.Count(kernel => SyntheticProfiles.PowerLaw(kernel.Shape) < Floor(profile, kernel.Shape.Kind) / 2), Is.GreaterThan(0));
    }

    /// <summary>
    /// A pointwise convolution whose time is the geometric mean of its work and its traffic: on a map smaller than the
    /// grid's, each one is scaled from the same channels on the smallest measured map, and the prediction recovers the law
    /// exactly (work alone would give it a third of its time on a 1 × 1 map scaled from 3 × 3).
    /// </summary>
    [Test]
    public void APointwiseConvolutionOnASmallerMap_IsScaledBetweenItsWorkAndItsTraffic()
    {
        static double Law(KernelShape shape) => 1e-6 * Math.Sqrt(shape.Work * shape.Traffic);
        DeviceProfile power = SyntheticProfiles.PowerLaw();
        DeviceProfile profile = power with
        {
            Kernels = [.. power.Kernels.Select(kernel => kernel.Shape.Kind == KernelKind.PointwiseConvolution ? kernel with { Milliseconds = Law(kernel.Shape) } : kernel)],
        };
        KernelPrediction[] pointwise = [.. new LatencyPredictor(profile).Predict(Spec("mobilenet_v1", 1.0, 32)).Kernels
            .Where(kernel => kernel.Extrapolated && kernel.Shape.Kind == KernelKind.PointwiseConvolution && kernel.Shape.Size < 3)];

        Assert.That(pointwise, Is.Not.Empty);
        foreach (KernelPrediction kernel in pointwise)
        {
            Assert.That(kernel.Milliseconds, Is.EqualTo(Law(kernel.Shape)).Within(1e-9).Percent, kernel.Shape.ToString());
        }
    }

    /// <summary>What extrapolation scales by, against the graph the profiler times for the kernel.</summary>
    [Test]
    public void WorkAndTraffic_CountTheWeightsOfTheGraphTheProfilerTimes()
    {
        var squeeze = new KernelShape(KernelKind.SqueezeExcitation, 1536, 1536, 3, 1, 1, SqueezeVariant.Sigmoid);
        var pointwise = new KernelShape(KernelKind.PointwiseConvolution, 256, 1536, 2, 1, 1, "");

        // Squeeze-and-excitation: its map read twice (pooled and scaled), and a multiply-accumulate per weight of its two layers.
        Assert.That(squeeze.Work, Is.EqualTo((2.0 * 1536 * 9) + WeightElements(squeeze, "se.fc1.weight") + WeightElements(squeeze, "se.fc2.weight")));

        // A pointwise convolution's traffic: its weights and the elements it reads and writes.
        string weight = KernelGraph.Build(pointwise).Graph.Initializer.Single(tensor => tensor.Dims.Count == 4).Name;
        Assert.That(pointwise.Traffic, Is.EqualTo(WeightElements(pointwise, weight) + (256 * 4) + (1536 * 4)));
    }

    private static double WeightElements(KernelShape shape, string name) =>
        KernelGraph.Build(shape).Graph.Initializer.Single(tensor => tensor.Name == name).Dims.Aggregate(1.0, (product, dimension) => product * dimension);
}
