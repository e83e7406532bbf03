using EfficientNet.Sharp.Analysis;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>
/// A float prediction of a network of many weights on small maps, from a profile that did not probe weight streaming,
/// says that such networks ran slower than predicted where checked (they read their weights from memory on every run;
/// docs/device-fit.md, "Weights streamed from memory"); networks of few weights, or on large maps, int8 predictions and
/// predictions from a profile with weight streaming do not carry it.
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

    /// <summary>A profile that probed weight streaming predicts the reading (WeightStreamingTests): no caveat.</summary>
    [Test]
    public void AProfileWithWeightStreaming_DoesNotCarryIt()
    {
        DeviceProfile probed = SyntheticProfiles.PowerLaw() with { WeightStreaming = new WeightStreaming { CacheMegabytes = 16, GigabytesPerSecond = 20 } };

        Assert.That(Warns(probed, Spec("mobilenet_v3_large", 1.4, 96)), Is.False);
        Assert.That(Warns(SyntheticProfiles.PowerLaw(), Spec("mobilenet_v3_large", 1.4, 96)), Is.True);
    }

    [Test]
    public void AnInt8Prediction_DoesNotCarryIt()
    {
        DeviceProfile float32 = SyntheticProfiles.PowerLaw();
        DeviceProfile int8 = float32 with { Device = float32.Device with { Precision = DeviceFacts.Int8Precision } };

        Assert.That(Warns(int8, Spec("mobilenet_v3_large", 1.4, 96)), Is.False);
    }
}
