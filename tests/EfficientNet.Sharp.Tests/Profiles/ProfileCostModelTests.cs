using EfficientNet.Sharp.Devices;
using EfficientNet.Sharp.Models;
using EfficientNet.Sharp.Profiles;
using EfficientNet.Sharp.Specs;

namespace EfficientNet.Sharp.Tests.Profiles;

/// <summary>The fit's cost model on a profile: each cost is the predictor's, labelled predicted, with its extrapolated kernels counted.</summary>
public class ProfileCostModelTests
{
    private static readonly DeviceProfile Profile = SyntheticProfiles.PowerLaw();

    [TestCase(224)]
    [TestCase(640)]
    public void ACost_IsThePrediction_WithItsExtrapolatedKernels(int resolution)
    {
        NetworkSpec spec = ModelRegistry.Get("mobilenet_v2").BuildSpec(new ModelOverrides { Resolution = resolution });
        LatencyPrediction prediction = new LatencyPredictor(Profile).Predict(spec);

        CostMeasurement cost = new ProfileCostModel(Profile).Measure(spec, batchSize: 1, CancellationToken.None);

        Assert.That(cost.IsPredicted, Is.True);
        Assert.That(cost.LatencyMilliseconds, Is.EqualTo(prediction.Milliseconds));
        Assert.That(cost.ExtrapolatedKernels, Is.EqualTo(prediction.Extrapolated.Count));
        Assert.That(cost.ExtrapolatedKernels > 0, Is.EqualTo(resolution > 320), "the grid ends at 320 px");
    }

    [Test]
    public void ABatchOtherThanOne_IsRefusedNamingIt()
    {
        NetworkSpec spec = ModelRegistry.Get("mobilenet_v2").Spec;
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new ProfileCostModel(Profile).Measure(spec, batchSize: 2, CancellationToken.None))!;
        Assert.That(error.ParamName, Is.EqualTo("batchSize"));
    }
}
