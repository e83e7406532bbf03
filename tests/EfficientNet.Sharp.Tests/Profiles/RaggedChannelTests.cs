using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>
/// Integer convolutions reading more channels than an int8 profile's multiple and off half of it too (MobileNetV1's
/// truncated widths) are the ragged variant, measured on a ladder of their own; profiles from before it read them as
/// unaligned.
/// </summary>
public class RaggedChannelTests
{
    private const int Multiple = 16;

    private static readonly ChannelAlignment Int8Alignment = new(Multiple, IntegerConvolutions: true, Ragged: true);

    // MobileNetV1 truncates its scaled channels: 0.65 reads 3, 20, 41, 83, 166, 332 and 665 channels.
    private static readonly NetworkSpec V1 = ModelRegistry.Get("mobilenet_v1").BuildSpec(new ModelOverrides { Width = 0.65, Resolution = 203 });

    private static KernelShape Depthwise(int channels) => new(KernelKind.DepthwiseConvolution, channels, channels, 28, 3, 1, "");

    [TestCase(64, "")]
    [TestCase(72, KernelGrid.Unaligned)]
    [TestCase(12, KernelGrid.Unaligned)]
    [TestCase(3, KernelGrid.Unaligned)]
    [TestCase(83, KernelGrid.Ragged)]
    [TestCase(84, KernelGrid.Ragged)]
    [TestCase(17, KernelGrid.Ragged)]
    public void AnInt8Alignment_SplitsCountsOffHalfTheMultiple(int channels, string variant)
    {
        Assert.That(Int8Alignment.VariantOf(Depthwise(channels)).Variant, Is.EqualTo(variant));
        Assert.That(Int8Alignment.VariantOf(new KernelShape(KernelKind.PointwiseConvolution, channels, 64, 28, 1, 1, "")).Variant, Is.EqualTo(variant));
    }

    [Test]
    public void WithoutTheRaggedRule_OrBelowEight_EveryCountOffTheMultipleIsUnaligned()
    {
        Assert.That(new ChannelAlignment(Multiple, IntegerConvolutions: true).VariantOf(Depthwise(83)).Variant, Is.EqualTo(KernelGrid.Unaligned));
        Assert.That(new ChannelAlignment(4, IntegerConvolutions: true, Ragged: true).VariantOf(Depthwise(83)).Variant, Is.EqualTo(KernelGrid.Unaligned));
        Assert.That(new ChannelAlignment(8, IntegerConvolutions: true, Ragged: true).VariantOf(Depthwise(83)).Variant, Is.EqualTo(KernelGrid.Ragged));
        Assert.That(KernelSuite.Design(Multiple), Has.None.Matches<KernelShape>(shape => shape.Variant == KernelGrid.Ragged), "float profiles have no ragged variant");
    }

    [TestCase(83, 75, 107)]
    [TestCase(20, 17, 27)]
    [TestCase(665, 523, 779)]
    public void TheRaggedLadder_IsOddCountsBetweenTheAlignedOnes(int channels, int low, int high)
    {
        KernelShape ragged = Int8Alignment.VariantOf(Depthwise(channels));
        IReadOnlyList<(KernelShape Corner, double Weight)>? corners = KernelGrid.Corners(ragged, Int8Alignment);

        Assert.That(corners, Is.Not.Null);
        Assert.That(corners!.Select(corner => corner.Corner.InChannels).Distinct(), Is.EquivalentTo(new[] { low, high }));
        Assert.That(corners.Select(corner => corner.Corner.Variant), Has.All.EqualTo(KernelGrid.Ragged));
    }

    [Test]
    public void AnInt8ProfileWithRaggedKernels_LooksThemUp_AndTheSuiteDesignsThem()
    {
        // Ragged kernels cost 4× the law in one profile, 1× in the other: MobileNetV1 0.875's ragged convolutions (28
        // channels) come out 4× as long, its aligned (112 …) and unaligned (3, 56) ones as long.
        NetworkSpec mixed = ModelRegistry.Get("mobilenet_v1").BuildSpec(new ModelOverrides { Width = 0.875, Resolution = 203 });
        IReadOnlyList<KernelShape> design = KernelSuite.Design(Multiple, int8: true);
        KernelPrediction[] Convolutions(double raggedCost) =>
            [.. new LatencyPredictor(Int8Profile(design, shape => shape.Variant == KernelGrid.Ragged ? raggedCost : 1)).Predict(mixed).Kernels.Where(kernel => kernel.Shape.IsConvolution)];
        KernelPrediction[] even = Convolutions(1), slowRagged = Convolutions(4);

        Assert.That(even.Select(kernel => Int8Alignment.VariantOf(kernel.Shape).Variant).Distinct(), Is.EquivalentTo(new[] { "", KernelGrid.Unaligned, KernelGrid.Ragged }));
        Assert.That(new LatencyPredictor(Int8Profile(design, _ => 1)).Predict(V1).Caveats, Has.None.Contain("no ragged variant"));
        foreach ((KernelPrediction plain, KernelPrediction slow) in even.Zip(slowRagged))
        {
            double factor = Int8Alignment.VariantOf(plain.Shape).Variant == KernelGrid.Ragged ? 4 : 1;
            Assert.That(slow.Extrapolated, Is.False, plain.Shape.ToString());
            Assert.That(slow.Milliseconds / plain.Milliseconds, Is.EqualTo(factor).Within(1e-6).Percent, plain.Shape.ToString());
        }
    }

    [Test]
    public void AnInt8ProfileWithoutRaggedKernels_ReadsThoseCountsAsUnaligned()
    {
        // A profile from before 0.4.0: the suite less its ragged kernels, and the unaligned corners MobileNetV1 0.65's
        // ragged convolutions are read from, those at 3× the law.
        var before = new ChannelAlignment(Multiple, IntegerConvolutions: true);
        KernelShape[] unalignedCorners = [.. KernelWalk.Of(V1, V1.Resolution, int8: true)
            .Select(kernel => before.VariantOf(kernel.Shape))
            .Where(shape => shape.Variant == KernelGrid.Unaligned && Int8Alignment.VariantOf(shape with { Variant = "" }).Variant == KernelGrid.Ragged)
            .SelectMany(shape => KernelGrid.Corners(shape, before)!.Select(corner => corner.Corner))];
        KernelShape[] kernels = [.. KernelSuite.Design(Multiple, int8: true).Where(shape => shape.Variant != KernelGrid.Ragged).Union(unalignedCorners)];
        var predictor = new LatencyPredictor(Int8Profile(kernels, shape => shape.Variant == KernelGrid.Unaligned ? 3 : 1));
        var even = new LatencyPredictor(Int8Profile(kernels, _ => 1));
        bool Ragged(KernelPrediction kernel) => kernel.Shape.IsConvolution && Int8Alignment.VariantOf(kernel.Shape).Variant == KernelGrid.Ragged;
        (KernelPrediction Slow, KernelPrediction Plain)[] raggedOnes = [.. predictor.Predict(V1).Kernels.Zip(even.Predict(V1).Kernels).Where(pair => Ragged(pair.First))];

        Assert.That(unalignedCorners, Is.Not.Empty);
        Assert.That(raggedOnes, Has.Length.GreaterThan(10));
        foreach ((KernelPrediction slow, KernelPrediction plain) in raggedOnes)
        {
            Assert.That(slow.Extrapolated, Is.False, slow.Shape.ToString());
            Assert.That(slow.Milliseconds / plain.Milliseconds, Is.EqualTo(3).Within(1e-6).Percent, slow.Shape.ToString());
        }

        // It says so for a network with ragged counts, and only for one.
        Assert.That(predictor.Predict(V1).Caveats, Has.One.Contain("no ragged variant"));
        Assert.That(predictor.Predict(ModelRegistry.Get("mobilenet_v2").Spec).Caveats, Has.None.Contain("no ragged variant"), "MobileNetV2 rounds its channels to 8");
    }

    /// <summary>
    /// Ragged convolutions that take 1.3× their network's factor inside it: the calibration finds 1.3 from the ragged
    /// MobileNetV1 against the family's networks without ragged ones, and a held-out network's ragged kernels get it.
    /// </summary>
    [Test]
    public void TheRaggedFactor_IsFittedToTheRaggedCalibrationNetwork()
    {
        const double scale = 0.7, raggedFactor = 1.3;
        DeviceProfile uncalibrated = Int8Profile(KernelSuite.Design(Multiple, int8: true), _ => 1);
        var alone = new LatencyPredictor(uncalibrated);
        (double Plain, double Ragged) Parts(NetworkSpec spec)
        {
            KernelPrediction[] kernels = [.. alone.Predict(spec).Kernels.Where(kernel => kernel.Shape.Kind != KernelKind.RunOverhead)];
            double ragged = kernels.Where(kernel => Int8Alignment.VariantOf(kernel.Shape).Variant == KernelGrid.Ragged).Sum(kernel => kernel.Milliseconds);
            return (kernels.Sum(kernel => kernel.Milliseconds) - ragged, ragged);
        }

        double Measured(NetworkSpec spec) => SyntheticProfiles.OverheadMilliseconds + (scale * (Parts(spec).Plain + (raggedFactor * Parts(spec).Ragged)));
        CalibrationNetwork[] calibration = [.. KernelSuite.CalibrationDesign(int8: true)
            .Where(network => network.Model == "mobilenet_v1")
            .Select(network => new CalibrationNetwork(network.Model, network.Width, network.Depth, network.Resolution, 0))
            .Select(network => network with { Milliseconds = Measured(network.BuildSpec()!) })];
        var predictor = new LatencyPredictor(uncalibrated with { Calibration = calibration });

        Assert.That(calibration.Select(network => Parts(network.BuildSpec()!).Ragged > 0).Distinct().Count(), Is.EqualTo(2), "ragged and plain calibration networks");
        Assert.That(predictor.Predict(V1).Milliseconds, Is.EqualTo(Measured(V1)).Within(1e-6).Percent);
        int first = predictor.Predict(V1).Kernels.ToList().FindIndex(kernel => Int8Alignment.VariantOf(kernel.Shape).Variant == KernelGrid.Ragged);
        Assert.That(
            predictor.Predict(V1).Kernels[first].Milliseconds / alone.Predict(V1).Kernels[first].Milliseconds,
            Is.EqualTo(scale * raggedFactor).Within(1e-6).Percent,
            "a ragged kernel at the family's scale times the ragged factor");
    }

    /// <summary>An int8 profile of the kernels given, each at the power law times its factor.</summary>
    private static DeviceProfile Int8Profile(IEnumerable<KernelShape> kernels, Func<KernelShape, double> factor)
    {
        DeviceProfile bare = SyntheticProfiles.PowerLaw(depthwiseChannelMultiple: Multiple);
        return bare with
        {
            Device = bare.Device with { Precision = "int8" },
            Kernels = [bare.Kernels[0], .. kernels.Select(shape =>
            {
                double law = SyntheticProfiles.PowerLaw(shape) * factor(shape);
                return new KernelMeasurement(shape, law, 0.01 * law, 20);
            })],
        };
    }
}
