using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>
/// A float prediction of a network of many weights on small maps says that such networks ran slower than predicted
/// where checked (they read their weights from memory on every run; docs/device-fit.md, "Outside the grid"); networks
/// of few weights, or on large maps, and int8 predictions do not carry it.
/// </summary>
public class ManyWeightsCaveatTests
{
    private static NetworkSpec Spec(string model, double width, int resolution) =>
        ModelRegistry.Get(model).BuildSpec(new ModelOverrides { Width = width, Resolution = resolution });

    private static bool Warns(DeviceProfile profile, NetworkSpec spec) =>
        new LatencyPredictor(profile).Predict(spec).Caveats.Any(caveat => caveat.Contains(LatencyPredictor.ManyWeightsSmallMaps, StringComparison.Ordinal));

    [TestCase("mobilenet_v3_large", 1.4, 96, true)]
    [TestCase("mobilenet_v2", 1.4, 112, true)]
    [TestCase("mobilenet_v3_large", 1.4, 128, false)]
    [TestCase("mobilenet_v3_large", 1.0, 224, false)]
    [TestCase("mobilenet_v3_large", 0.5, 96, false)]
    public void AFloatPrediction_WarnsOfManyWeightsOnSmallMaps(string model, double width, int resolution, bool warns)
    {
        NetworkSpec spec = Spec(model, width, resolution);
        double megabytes = NetworkAnalyzer.Analyze(spec).ParameterBytes / 1e6;

        Assert.That(Warns(SyntheticProfiles.PowerLaw(), spec), Is.EqualTo(warns), $"{megabytes:0.0} MB at {resolution} px");
        Assert.That(megabytes > 20 && resolution < 128, Is.EqualTo(warns), "the case is on the side of the bounds it is meant to test");
    }

    [Test]
    public void AnInt8Prediction_DoesNotCarryIt()
    {
        DeviceProfile float32 = SyntheticProfiles.PowerLaw();
        DeviceProfile int8 = float32 with { Device = float32.Device with { Precision = DeviceFacts.Int8Precision } };

        Assert.That(Warns(int8, Spec("mobilenet_v3_large", 1.4, 96)), Is.False);
    }
}
